// --set and --set-string parsing as helm.sh/helm/v4/pkg/strvals/parser.go does it:
// a.b=c, a[0]=x, a={x,y}, backslash escapes, "," between assignments, typed values (true, false,
// null, integers as int64 unless they start with 0) unless --set-string, and Helm's error texts
// (including the recovered panics of its type assertions).
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

var errNotList = errors.New("not a list")

const (
	maxIndex           = 65536
	maxNestedNameLevel = 30
)

type strvalsParser struct {
	sc         *bytes.Buffer
	data       map[string]interface{}
	stringBool bool
}

// ParseInto applies one --set (stringBool false) or --set-string (true) argument to dest.
func ParseInto(s string, dest map[string]interface{}, stringBool bool) error {
	p := &strvalsParser{sc: bytes.NewBufferString(s), data: dest, stringBool: stringBool}
	for {
		err := p.key(p.data, 0)
		if err == nil {
			continue
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
}

func (p *strvalsParser) reader(rs []rune) interface{} { return typedVal(rs, p.stringBool) }

func setKey(data map[string]interface{}, key string, val interface{}) {
	if key == "" {
		return
	}
	data[key] = val
}

func (p *strvalsParser) key(data map[string]interface{}, nested int) (reterr error) {
	defer func() {
		if r := recover(); r != nil {
			reterr = fmt.Errorf("unable to parse key: %s", r)
		}
	}()
	stop := map[rune]bool{'=': true, '[': true, ',': true, '.': true}
	for {
		k, last, err := runesUntil(p.sc, stop)
		switch {
		case err != nil:
			if len(k) == 0 {
				return err
			}
			return fmt.Errorf("key %q has no value", string(k))
		case last == '[':
			i, err := p.keyIndex()
			if err != nil {
				return fmt.Errorf("error parsing index: %w", err)
			}
			kk := string(k)
			list := []interface{}{}
			if _, ok := data[kk]; ok {
				list = data[kk].([]interface{}) // panics like Helm's when not a list
			}
			list, err = p.listItem(list, i, nested)
			setKey(data, kk, list)
			return err
		case last == '=':
			vl, e := p.valList()
			switch {
			case e == nil:
				setKey(data, string(k), vl)
				return nil
			case errors.Is(e, io.EOF):
				setKey(data, string(k), "")
				return e
			case errors.Is(e, errNotList):
				rs, e := p.val()
				if e != nil && !errors.Is(e, io.EOF) {
					return e
				}
				setKey(data, string(k), p.reader(rs))
				return nil
			default:
				return e
			}
		case last == ',':
			setKey(data, string(k), "")
			return fmt.Errorf("key %q has no value (cannot end with ,)", string(k))
		case last == '.':
			nested++
			if nested > maxNestedNameLevel {
				return fmt.Errorf("value name nested level is greater than maximum supported nested level of %d", maxNestedNameLevel)
			}
			inner := map[string]interface{}{}
			if _, ok := data[string(k)]; ok {
				inner = data[string(k)].(map[string]interface{}) // panics like Helm's when not a map
			}
			e := p.key(inner, nested)
			if e == nil && len(inner) == 0 {
				return fmt.Errorf("key map %q has no value", string(k))
			}
			if len(inner) != 0 {
				setKey(data, string(k), inner)
			}
			return e
		}
	}
}

func setIndex(list []interface{}, index int, val interface{}) (l2 []interface{}, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("error processing index %d: %s", index, r)
		}
	}()
	if index < 0 {
		return list, fmt.Errorf("negative %d index not allowed", index)
	}
	if index > maxIndex {
		return list, fmt.Errorf("index of %d is greater than maximum supported index of %d", index, maxIndex)
	}
	if len(list) <= index {
		n := make([]interface{}, index+1)
		copy(n, list)
		list = n
	}
	list[index] = val
	return list, nil
}

func (p *strvalsParser) keyIndex() (int, error) {
	v, _, err := runesUntil(p.sc, map[rune]bool{']': true})
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(v))
}

func (p *strvalsParser) listItem(list []interface{}, i, nested int) ([]interface{}, error) {
	if i < 0 {
		return list, fmt.Errorf("negative %d index not allowed", i)
	}
	k, last, err := runesUntil(p.sc, map[rune]bool{'[': true, '.': true, '=': true})
	switch {
	case len(k) > 0:
		return list, fmt.Errorf("unexpected data at end of array index: %q", k)
	case err != nil:
		return list, err
	case last == '=':
		vl, e := p.valList()
		switch {
		case e == nil:
			return setIndex(list, i, vl)
		case errors.Is(e, io.EOF):
			return setIndex(list, i, "")
		case errors.Is(e, errNotList):
			rs, e := p.val()
			if e != nil && !errors.Is(e, io.EOF) {
				return list, e
			}
			return setIndex(list, i, p.reader(rs))
		default:
			return list, e
		}
	case last == '[':
		nextI, err := p.keyIndex()
		if err != nil {
			return list, fmt.Errorf("error parsing index: %w", err)
		}
		var crt []interface{}
		if len(list) > i && list[i] != nil {
			crt = list[i].([]interface{})
		}
		list2, err := p.listItem(crt, nextI, nested)
		if err != nil {
			return list, err
		}
		return setIndex(list, i, list2)
	case last == '.':
		inner := map[string]interface{}{}
		if len(list) > i {
			var ok bool
			inner, ok = list[i].(map[string]interface{})
			if !ok {
				list[i] = map[string]interface{}{}
				inner = list[i].(map[string]interface{})
			}
		}
		if e := p.key(inner, nested); e != nil {
			return list, e
		}
		return setIndex(list, i, inner)
	default:
		return nil, fmt.Errorf("parse error: unexpected token %v", last)
	}
}

func (p *strvalsParser) val() ([]rune, error) {
	v, _, err := runesUntil(p.sc, map[rune]bool{',': true})
	return v, err
}

func (p *strvalsParser) valList() ([]interface{}, error) {
	r, _, e := p.sc.ReadRune()
	if e != nil {
		return []interface{}{}, e
	}
	if r != '{' {
		p.sc.UnreadRune()
		return []interface{}{}, errNotList
	}
	list := []interface{}{}
	stop := map[rune]bool{',': true, '}': true}
	for {
		rs, last, err := runesUntil(p.sc, stop)
		switch {
		case err != nil:
			if errors.Is(err, io.EOF) {
				err = errors.New("list must terminate with '}'")
			}
			return list, err
		case last == '}':
			if r, _, e := p.sc.ReadRune(); e == nil && r != ',' {
				p.sc.UnreadRune()
			}
			return append(list, p.reader(rs)), nil
		case last == ',':
			list = append(list, p.reader(rs))
		}
	}
}

func runesUntil(in io.RuneReader, stop map[rune]bool) ([]rune, rune, error) {
	v := []rune{}
	for {
		r, _, e := in.ReadRune()
		switch {
		case e != nil:
			return v, r, e
		case stop[r]:
			return v, r, nil
		case r == '\\':
			next, _, e := in.ReadRune()
			if e != nil {
				return v, next, e
			}
			v = append(v, next)
		default:
			v = append(v, r)
		}
	}
}

func typedVal(v []rune, st bool) interface{} {
	val := string(v)
	if st {
		return val
	}
	if strings.EqualFold(val, "true") {
		return true
	}
	if strings.EqualFold(val, "false") {
		return false
	}
	if strings.EqualFold(val, "null") {
		return nil
	}
	if strings.EqualFold(val, "0") {
		return int64(0)
	}
	if val != "" && val[0] != '0' {
		if iv, err := strconv.ParseInt(val, 10, 64); err == nil {
			return iv
		}
	}
	return val
}
