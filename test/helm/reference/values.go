// Values coalescing as helm.sh/helm/v4/pkg/chart/common/util/coalesce.go does it: user values
// over chart defaults, maps merged, null deleting a key (when coalescing), globals copied down
// into each subchart, subchart values under the parent's key of the subchart's name.
// Helm's warnings (log.Printf) are not printed.
package main

import (
	"fmt"

	"helmref/common"
)

func istable(v interface{}) bool {
	_, ok := v.(map[string]interface{})
	return ok
}

// deepCopy copies maps and slices of JSON-like data (what copystructure does for values).
func deepCopy(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		if x == nil {
			return x
		}
		m := make(map[string]interface{}, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case common.Values:
		if x == nil {
			return x
		}
		m := make(common.Values, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []interface{}:
		if x == nil {
			return x
		}
		s := make([]interface{}, len(x))
		for i, e := range x {
			s[i] = deepCopy(e)
		}
		return s
	}
	return v
}

func copyValues(vals map[string]interface{}) map[string]interface{} {
	c, _ := deepCopy(map[string]interface{}(vals)).(map[string]interface{})
	if c == nil {
		c = map[string]interface{}{}
	}
	return c
}

// CoalesceValues coalesces user values with the chart's (and its subcharts') defaults.
func CoalesceValues(ch *Chart, vals map[string]interface{}) (common.Values, error) {
	v, err := coalesce(ch, copyValues(vals), "", false)
	return common.Values(v), err
}

// MergeValues is CoalesceValues keeping nulls.
func MergeValues(ch *Chart, vals map[string]interface{}) (common.Values, error) {
	v, err := coalesce(ch, copyValues(vals), "", true)
	return common.Values(v), err
}

func concatPrefix(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func coalesce(ch *Chart, dest map[string]interface{}, prefix string, merge bool) (map[string]interface{}, error) {
	coalesceValues(ch, dest, prefix, merge)
	return coalesceDeps(ch, dest, prefix, merge)
}

func coalesceDeps(ch *Chart, dest map[string]interface{}, prefix string, merge bool) (map[string]interface{}, error) {
	for _, sub := range ch.Dependencies() {
		if c, ok := dest[sub.Name()]; !ok {
			dest[sub.Name()] = map[string]interface{}{}
		} else if !istable(c) {
			// Helm formats the value with %t (so a string prints as %!t(string=...)).
			return dest, fmt.Errorf("type mismatch on %s: %t", sub.Name(), c)
		}
		dvmap := dest[sub.Name()].(map[string]interface{})
		subPrefix := concatPrefix(prefix, ch.Name())
		coalesceGlobals(dvmap, dest, subPrefix)
		var err error
		dest[sub.Name()], err = coalesce(sub, dvmap, subPrefix, merge)
		if err != nil {
			return dest, err
		}
	}
	return dest, nil
}

// coalesceGlobals copies src's "global" into dest's "global" (src wins; tables merged top-down).
func coalesceGlobals(dest, src map[string]interface{}, prefix string) {
	var dg, sg map[string]interface{}
	if g, ok := dest[common.GlobalKey]; !ok {
		dg = map[string]interface{}{}
	} else if dg, ok = g.(map[string]interface{}); !ok {
		return
	}
	if g, ok := src[common.GlobalKey]; !ok {
		sg = map[string]interface{}{}
	} else if sg, ok = g.(map[string]interface{}); !ok {
		return
	}
	for key, val := range sg {
		if vm, ok := val.(map[string]interface{}); ok {
			vv := make(map[string]interface{}, len(vm))
			for k, e := range vm {
				vv[k] = e
			}
			if destv, ok := dg[key]; !ok {
				dg[key] = vv
			} else if destvmap, ok := destv.(map[string]interface{}); ok {
				coalesceTablesFullKey(vv, destvmap, concatPrefix(prefix, key), true)
				dg[key] = vv
			}
		} else if dv, ok := dg[key]; ok && istable(dv) {
			// a table in dest is kept
		} else {
			dg[key] = val
		}
	}
	dest[common.GlobalKey] = dg
}

func childChartMergeTrue(ch *Chart, key string, merge bool) bool {
	for _, sub := range ch.Dependencies() {
		if sub.Name() == key {
			return true
		}
	}
	return merge
}

// coalesceValues merges the chart's own values.yaml under v (v wins).
func coalesceValues(ch *Chart, v map[string]interface{}, prefix string, merge bool) {
	subPrefix := concatPrefix(prefix, ch.Name())
	vc, _ := deepCopy(ch.Values).(map[string]interface{})
	for key, val := range vc {
		if value, ok := v[key]; ok {
			if value == nil && !merge {
				delete(v, key)
			} else if dest, ok := value.(map[string]interface{}); ok {
				if src, ok := val.(map[string]interface{}); ok {
					m := childChartMergeTrue(ch, key, merge)
					if !m {
						cleanNilValues(src)
					}
					coalesceTablesFullKey(dest, src, concatPrefix(subPrefix, key), m)
				}
			}
		} else {
			if !merge {
				if val == nil {
					continue
				}
				if sub, ok := val.(map[string]interface{}); ok {
					cleanNilValues(sub)
				}
			}
			v[key] = val
		}
	}
}

// CoalesceTables merges src into dst (dst wins), deleting keys that dst sets to null.
func CoalesceTables(dst, src map[string]interface{}) map[string]interface{} {
	return coalesceTablesFullKey(dst, src, "", false)
}

// MergeTables is CoalesceTables keeping nulls.
func MergeTables(dst, src map[string]interface{}) map[string]interface{} {
	return coalesceTablesFullKey(dst, src, "", true)
}

func coalesceTablesFullKey(dst, src map[string]interface{}, prefix string, merge bool) map[string]interface{} {
	if src == nil {
		return dst
	}
	if dst == nil {
		return src
	}
	srcNonNil := make(map[string]bool)
	for k, v := range src {
		if v != nil {
			srcNonNil[k] = true
		}
	}
	for k, v := range dst {
		if v == nil {
			src[k] = nil
		}
	}
	for key, val := range src {
		fullkey := concatPrefix(prefix, key)
		dv, ok := dst[key]
		switch {
		case ok && !merge && dv == nil && srcNonNil[key]:
			delete(dst, key)
		case !ok:
			dst[key] = val
		case istable(val):
			if istable(dv) {
				coalesceTablesFullKey(dv.(map[string]interface{}), val.(map[string]interface{}), fullkey, merge)
			}
		}
	}
	return dst
}

func cleanNilValues(m map[string]interface{}) {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		} else if sub, ok := v.(map[string]interface{}); ok {
			cleanNilValues(sub)
		}
	}
}
