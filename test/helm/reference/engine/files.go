package engine

import (
	"encoding/base64"
	"path"
	"strings"

	"github.com/gobwas/glob"
)

// files is .Files: the chart's files outside templates/ (Go prints the type as `engine.files`).
type files map[string][]byte

// NewFiles builds .Files from (name, data) pairs.
func NewFiles(names []string, data [][]byte) files {
	f := make(files, len(names))
	for i, n := range names {
		f[n] = data[i]
	}
	return f
}

// GetBytes returns a file's bytes, or an empty slice.
func (f files) GetBytes(name string) []byte {
	if v, ok := f[name]; ok {
		return v
	}
	return []byte{}
}

// Get returns a file as a string ("" when missing).
func (f files) Get(name string) string { return string(f.GetBytes(name)) }

// Glob returns the files whose names match a gobwas/glob pattern with '/' as separator
// (an invalid pattern matches everything, as "**" does).
func (f files) Glob(pattern string) files {
	g, err := glob.Compile(pattern, '/')
	if err != nil {
		g, _ = glob.Compile("**")
	}
	out := make(files)
	for name, contents := range f {
		if g.Match(name) {
			out[name] = contents
		}
	}
	return out
}

// AsConfig is the files as a YAML map from base name to content (ConfigMap data).
func (f files) AsConfig() string {
	if f == nil {
		return ""
	}
	m := make(map[string]string)
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return toYAML(m)
}

// AsSecrets is the files as a YAML map from base name to base64 content (Secret data).
func (f files) AsSecrets() string {
	if f == nil {
		return ""
	}
	m := make(map[string]string)
	for k, v := range f {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(v)
	}
	return toYAML(m)
}

// Lines splits a file on "\n" (one trailing newline dropped); a missing or empty file gives [].
func (f files) Lines(name string) []string {
	if f == nil || len(f[name]) == 0 {
		return []string{}
	}
	s := string(f[name])
	if s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return strings.Split(s, "\n")
}
