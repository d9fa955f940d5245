package engine

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig"
	"github.com/ghodss/yaml"
	yaml3 "gopkg.in/yaml.v3"
)

// funcMap is Helm's function map (pkg/engine/funcs.go): sprig's text functions without env and
// expandenv, plus Helm's own. include, tpl, required and fail are bound per render (engine.go).
func funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	// sprig 3.3 (Helm's) has sha512sum; 3.2.3 (Debian's) does not.
	f["sha512sum"] = func(s string) string {
		h := sha512.Sum512([]byte(s))
		return hex.EncodeToString(h[:])
	}
	extra := template.FuncMap{
		"toToml":        toTOML,
		"mustToToml":    mustToTOML,
		"fromToml":      fromTOML,
		"toYaml":        toYAML,
		"mustToYaml":    mustToYAML,
		"toYamlPretty":  toYAMLPretty,
		"fromYaml":      fromYAML,
		"fromYamlArray": fromYAMLArray,
		"toJson":        toJSON,
		"mustToJson":    mustToJSON,
		"fromJson":      fromJSON,
		"fromJsonArray": fromJSONArray,

		"mustToDuration": mustToDuration,
		"durationSeconds": func(v interface{}) float64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Seconds()
		},
		"durationMilliseconds": func(v interface{}) int64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Milliseconds()
		},
		"durationMicroseconds": func(v interface{}) int64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Microseconds()
		},
		"durationNanoseconds": func(v interface{}) int64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Nanoseconds()
		},
		"durationMinutes": func(v interface{}) float64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Minutes()
		},
		"durationHours": func(v interface{}) float64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Hours()
		},
		"durationDays": func(v interface{}) float64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Hours() / 24.0
		},
		"durationWeeks": func(v interface{}) float64 {
			d, err := asDuration(v)
			if err != nil {
				return 0
			}
			return d.Hours() / 24.0 / 7.0
		},
		"durationRoundTo":    durationRoundTo,
		"durationTruncateTo": durationTruncateTo,

		"include":  func(string, interface{}) string { return "not implemented" },
		"tpl":      func(string, interface{}) interface{} { return "not implemented" },
		"required": func(string, interface{}) (interface{}, error) { return "not implemented", nil },
		// Without a cluster, lookup finds nothing.
		"lookup": func(string, string, string, string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil
		},
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// toYAML: sigs.k8s.io/yaml's Marshal without the final newline; "" on error.
func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// mustToYAML panics on error (text/template reports "error calling mustToYaml: ...").
func mustToYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		panic(err)
	}
	return strings.TrimSuffix(string(data), "\n")
}

// toYAMLPretty: yaml.v3 with a 2-space indent.
func toYAMLPretty(v interface{}) string {
	var data bytes.Buffer
	enc := yaml3.NewEncoder(&data)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(data.String(), "\n")
}

// fromYAML puts a parse error's text under "Error".
func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

// fromYAMLArray returns [error text] on error.
func fromYAMLArray(str string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

// toTOML returns the error text on error.
func toTOML(v interface{}) string {
	b := bytes.NewBuffer(nil)
	if err := toml.NewEncoder(b).Encode(v); err != nil {
		return err.Error()
	}
	return b.String()
}

func mustToTOML(v interface{}) string {
	b := bytes.NewBuffer(nil)
	if err := toml.NewEncoder(b).Encode(v); err != nil {
		panic(err)
	}
	return b.String()
}

func fromTOML(str string) map[string]interface{} {
	m := make(map[string]interface{})
	if err := toml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func mustToJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func fromJSON(str string) map[string]interface{} {
	m := make(map[string]interface{})
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(str string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

// Duration helpers of Helm main (numbers are seconds).
const (
	maxDurationSeconds      = int64(math.MaxInt64 / int64(time.Second))
	minDurationSeconds      = int64(math.MinInt64 / int64(time.Second))
	maxDurationSecondsFloat = float64(math.MaxInt64) / float64(time.Second)
	minDurationSecondsFloat = float64(math.MinInt64) / float64(time.Second)
)

func secondsFromFloat(s float64) (time.Duration, error) {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return 0, fmt.Errorf("invalid duration seconds: %v", s)
	}
	if s > maxDurationSecondsFloat || s < minDurationSecondsFloat {
		return 0, fmt.Errorf("duration seconds overflow: %v", s)
	}
	nanos := s * float64(time.Second)
	if nanos > float64(math.MaxInt64) || nanos < float64(math.MinInt64) {
		return 0, fmt.Errorf("duration nanoseconds overflow: %v", nanos)
	}
	return time.Duration(nanos), nil
}

func asDuration(v interface{}) (time.Duration, error) {
	switch x := v.(type) {
	case time.Duration:
		return x, nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, errors.New("empty duration")
		}
		if d, err := time.ParseDuration(s); err == nil {
			return d, nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return secondsFromFloat(f)
		}
		return 0, fmt.Errorf("could not parse duration %q", x)
	case nil:
		return 0, errors.New("invalid duration")
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		if n > maxDurationSeconds || n < minDurationSeconds {
			return 0, fmt.Errorf("duration seconds overflow: %d", n)
		}
		return time.Duration(n) * time.Second, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n := rv.Uint()
		if n > uint64(maxDurationSeconds) {
			return 0, fmt.Errorf("duration seconds overflow: %d", n)
		}
		return time.Duration(int64(n)) * time.Second, nil
	case reflect.Float32, reflect.Float64:
		return secondsFromFloat(rv.Float())
	}
	return 0, fmt.Errorf("unsupported duration type %T", v)
}

func mustToDuration(v interface{}) time.Duration {
	d, err := asDuration(v)
	if err != nil {
		panic(err)
	}
	return d
}

func durationRoundTo(v interface{}, m interface{}) time.Duration {
	d, err := asDuration(v)
	if err != nil {
		return 0
	}
	mul, err := asDuration(m)
	if err != nil {
		return d
	}
	return d.Round(mul)
}

func durationTruncateTo(v interface{}, m interface{}) time.Duration {
	d, err := asDuration(v)
	if err != nil {
		return 0
	}
	mul, err := asDuration(m)
	if err != nil {
		return d
	}
	return d.Truncate(mul)
}
