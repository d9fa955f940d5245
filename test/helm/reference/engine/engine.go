// Package engine renders templates as helm.sh/helm/v4/pkg/engine does: one template set for a
// chart and its subcharts (missingkey=zero, Helm's functions), parsed in Helm's order, every
// non-partial template executed, "<no value>" blanked, and errors reformatted as Helm v4 prints
// them. Written from reading Helm's engine.go; no code is copied.
package engine

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"helmref/common"
)

// Renderable is one template file with the dot it is executed with.
type Renderable struct {
	Tpl      string
	Vals     map[string]interface{}
	BasePath string
}

const (
	warnStartDelim   = "HELM_ERR_START"
	warnEndDelim     = "HELM_ERR_END"
	recursionMaxNums = 1000
)

var warnRegex = regexp.MustCompile(warnStartDelim + `((?s).*)` + warnEndDelim)

func warnWrap(warn string) string { return warnStartDelim + warn + warnEndDelim }

// includeFun executes a named template into a string, refusing more than 1000 nested calls of one name.
func includeFun(t *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		if n, ok := includedNames[name]; ok {
			if n > recursionMaxNums {
				return "", fmt.Errorf("rendering template has a nested reference name: %s: %w", name, errors.New("unable to execute template"))
			}
			includedNames[name]++
		} else {
			includedNames[name] = 1
		}
		err := t.ExecuteTemplate(&buf, name, data)
		includedNames[name]--
		return buf.String(), err
	}
}

// tplFun parses a string as a template in a clone of the set (so defines are visible) and runs it.
func tplFun(parent *template.Template, includedNames map[string]int) func(string, interface{}) (string, error) {
	return func(tpl string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{
			"include": includeFun(t, includedNames),
			"tpl":     tplFun(t, includedNames),
		})
		t, err = t.New(parent.Name()).Parse(tpl)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", tpl, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", tpl, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

func initFunMap(t *template.Template) {
	fm := funcMap()
	included := make(map[string]int)
	fm["include"] = includeFun(t, included)
	fm["tpl"] = tplFun(t, included)
	fm["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warnWrap(warn))
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warnWrap(warn))
		}
		return val, nil
	}
	fm["fail"] = func(msg string) (string, error) { return "", errors.New(warnWrap(msg)) }
	// DNS lookups are off in `helm template` unless --enable-dns.
	fm["getHostByName"] = func(string) string { return "" }
	t.Funcs(fm)
}

// Render parses all templates into one set and executes every one whose base name does not start with "_".
func Render(tpls map[string]Renderable) (rendered map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	initFunMap(t)
	keys := sortTemplates(tpls)
	for _, name := range keys {
		if _, err := t.New(name).Parse(tpls[name].Tpl); err != nil {
			return map[string]string{}, cleanupParseError(name, err)
		}
	}
	rendered = make(map[string]string, len(keys))
	for _, name := range keys {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := tpls[name].Vals
		vals["Template"] = common.Values{"Name": name, "BasePath": tpls[name].BasePath}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return map[string]string{}, reformatExecErrorMsg(name, err)
		}
		rendered[name] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return rendered, nil
}

// NamedText is one template of a bare render.
type NamedText struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// RenderBare parses the templates into one set as Render does and executes only `entry` with `dot`.
func RenderBare(templates []NamedText, entry string, dot map[string]interface{}) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rendering template failed: %v", r)
		}
	}()
	tpls := make(map[string]Renderable, len(templates))
	for _, x := range templates {
		tpls[x.Name] = Renderable{Tpl: x.Text}
	}
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	initFunMap(t)
	for _, name := range sortTemplates(tpls) {
		if _, err := t.New(name).Parse(tpls[name].Tpl); err != nil {
			return "", cleanupParseError(name, err)
		}
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, entry, dot); err != nil {
		return "", reformatExecErrorMsg(entry, err)
	}
	return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
}

// cleanupParseError turns "template: NAME:LINE: a: b: MSG" into "parse error at (NAME:LINE): MSG".
func cleanupParseError(filename string, err error) error {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Errorf("parse error in (%s): %w", filename, err)
	}
	return fmt.Errorf("parse error at (%s): %s", tokens[1], tokens[len(tokens)-1])
}

// traceable is one level of a template execution error, as Helm v4 prints it.
type traceable struct {
	location, message, executedFunction string
}

func (t traceable) String() string {
	var b strings.Builder
	if t.location != "" {
		fmt.Fprintf(&b, "%s\n  ", t.location)
	}
	if t.executedFunction != "" {
		fmt.Fprintf(&b, "%s\n    ", t.executedFunction)
	}
	if t.message != "" {
		fmt.Fprintf(&b, "%s\n", t.message)
	}
	return b.String()
}

// cutChained drops a chained " template:..." error from a message.
func cutChained(msg string) string {
	if i := strings.Index(msg, " template:"); i != -1 {
		return msg[:i]
	}
	return msg
}

// parseExecError reads one text/template error string: "template: no template ...",
// "template: LOC: executing \"NAME\" at <ACTION>: MSG" or "template: LOC: MSG".
func parseExecError(s string) (traceable, bool) {
	const prefix = "template: "
	if !strings.HasPrefix(s, prefix) {
		return traceable{}, false
	}
	rest := s[len(prefix):]
	if strings.HasPrefix(rest, "no template ") {
		return traceable{message: s}, true
	}
	if i := strings.Index(rest, ": executing "); i != -1 {
		loc, after := rest[:i], rest[i+len(": executing "):]
		if after != "" && after[0] == '"' {
			if q := strings.IndexByte(after[1:], '"'); q != -1 {
				fn := after[1 : q+1]
				afterFn := after[q+2:]
				if strings.HasPrefix(afterFn, " at <") {
					afterAt := afterFn[len(" at <"):]
					if j := strings.Index(afterAt, ">: "); j != -1 {
						return traceable{
							location:         loc,
							message:          cutChained(afterAt[j+3:]),
							executedFunction: "executing \"" + fn + "\" at <" + afterAt[:j] + ">:",
						}, true
					}
				}
			}
		}
		// Helm falls through to the simple form when the executing form does not parse.
	}
	if sep := strings.LastIndex(rest, ": "); sep != -1 {
		return traceable{location: rest[:sep], message: cutChained(rest[sep+2:])}, true
	}
	return traceable{}, false
}

// reformatExecErrorMsg is Helm v4's: fail/required messages as "execution error at (LOC): MSG",
// other execution errors as a trace of every wrapped level, anything else unchanged.
func reformatExecErrorMsg(filename string, err error) error {
	var execErr template.ExecError
	if !errors.As(err, &execErr) {
		return err
	}
	tokens := strings.SplitN(err.Error(), ": ", 3)
	if len(tokens) != 3 {
		return fmt.Errorf("execution error in (%s): %w", filename, err)
	}
	location := tokens[1]
	if parts := warnRegex.FindStringSubmatch(tokens[2]); len(parts) >= 2 {
		return fmt.Errorf("execution error at (%s): %s", location, parts[1])
	}
	var levels []traceable
	for cur := err; cur != nil; cur = errors.Unwrap(cur) {
		tr, ok := parseExecError(cur.Error())
		if !ok {
			return err
		}
		if len(levels) == 0 || levels[len(levels)-1] != tr {
			levels = append(levels, tr)
		}
	}
	var b strings.Builder
	for _, l := range levels {
		b.WriteString(l.String())
	}
	return errors.New(strings.TrimSpace(b.String()))
}

// sortTemplates orders names by depth (number of '/') descending, then reverse-alphabetically,
// exactly as sort.Sort(sort.Reverse(byPathLen)) does.
func sortTemplates(tpls map[string]Renderable) []string {
	keys := make([]string, 0, len(tpls))
	for k := range tpls {
		keys = append(keys, k)
	}
	sort.Sort(sort.Reverse(byPathLen(keys)))
	return keys
}

type byPathLen []string

func (p byPathLen) Len() int      { return len(p) }
func (p byPathLen) Swap(i, j int) { p[j], p[i] = p[i], p[j] }
func (p byPathLen) Less(i, j int) bool {
	a, b := p[i], p[j]
	ca, cb := strings.Count(a, "/"), strings.Count(b, "/")
	if ca == cb {
		return a < b
	}
	return ca < cb
}
