// Package common mirrors the parts of helm.sh/helm/v4/pkg/chart/common that templates can see:
// Values (with its methods, which shadow map keys of the same name in templates), Capabilities,
// KubeVersion and VersionSet. Being a package named `common` makes Go print `common.Values`
// in messages and `typeOf`, exactly as Helm does.
package common

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ghodss/yaml"
)

// GlobalKey is the name of the values key shared with subcharts.
const GlobalKey = "global"

// Values is Helm's values map type (the type of .Values).
type Values map[string]interface{}

// ErrNoTable says that a key is not a map.
type ErrNoTable struct{ Key string }

func (e ErrNoTable) Error() string { return fmt.Sprintf("%q is not a table", e.Key) }

// ErrNoValue says that a key holds no scalar value.
type ErrNoValue struct{ Key string }

func (e ErrNoValue) Error() string { return fmt.Sprintf("%q is not a value", e.Key) }

// YAML encodes the values as YAML (sigs.k8s.io/yaml).
func (v Values) YAML() (string, error) {
	b, err := yaml.Marshal(v)
	return string(b), err
}

// Table returns the map at a dotted path ("a.b.c"), or ErrNoTable.
func (v Values) Table(name string) (Values, error) {
	table := v
	var err error
	for _, part := range strings.Split(name, ".") {
		if table, err = tableLookup(table, part); err != nil {
			break
		}
	}
	return table, err
}

// AsMap returns the values as a plain map (an empty one for nil).
func (v Values) AsMap() map[string]interface{} {
	if len(v) == 0 {
		return map[string]interface{}{}
	}
	return v
}

// Encode writes the values as YAML.
func (v Values) Encode(w io.Writer) error {
	out, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func tableLookup(v Values, simple string) (Values, error) {
	next, ok := v[simple]
	if !ok {
		return v, ErrNoTable{simple}
	}
	if m, ok := next.(map[string]interface{}); ok {
		return m, nil
	}
	if m, ok := next.(Values); ok {
		return m, nil
	}
	return Values{}, ErrNoTable{simple}
}

func istable(v interface{}) bool {
	_, ok := v.(map[string]interface{})
	return ok
}

// PathValue returns the non-map value at a dotted path, or ErrNoValue.
func (v Values) PathValue(path string) (interface{}, error) {
	if path == "" {
		return nil, errors.New("YAML path cannot be empty")
	}
	parts := strings.Split(path, ".")
	if len(parts) == 1 {
		if x, ok := v[parts[0]]; ok && !istable(x) {
			return x, nil
		}
		return nil, ErrNoValue{parts[0]}
	}
	key := parts[len(parts)-1]
	t, err := v.Table(strings.Join(parts[:len(parts)-1], "."))
	if err != nil {
		return nil, ErrNoValue{key}
	}
	if x, ok := t[key]; ok && !istable(x) {
		return x, nil
	}
	return nil, ErrNoValue{key}
}
