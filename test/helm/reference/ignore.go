// .helmignore as helm.sh/helm/v4/pkg/ignore reads it: one filepath.Match pattern a line, "#"
// comments, "!" negation (with Helm's odd rule that a negated pattern ignores everything it does
// not match), a trailing "/" for directories only, a leading "/" anchoring at the chart root,
// patterns without "/" matched against the base name; "**" is an error.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"path/filepath"
	"strings"
)

type ignorePattern struct {
	rule    string
	negate  bool
	mustDir bool
	kind    int // 0: base name, 1: whole path, 2: anchored ("/x")
}

type ignoreRules struct{ patterns []ignorePattern }

func emptyRules() *ignoreRules { return &ignoreRules{} }

func (r *ignoreRules) addDefaults() { _ = r.parseRule("templates/.?*") }

func parseIgnore(data []byte) (*ignoreRules, error) {
	r := emptyRules()
	s := bufio.NewScanner(bytes.NewReader(data))
	first := true
	for s.Scan() {
		line := s.Bytes()
		if first {
			line = bytes.TrimPrefix(line, utf8bom)
			first = false
		}
		if err := r.parseRule(string(line)); err != nil {
			return r, err
		}
	}
	return r, s.Err()
}

func (r *ignoreRules) parseRule(rule string) error {
	rule = strings.TrimSpace(rule)
	if rule == "" || strings.HasPrefix(rule, "#") {
		return nil
	}
	if strings.Contains(rule, "**") {
		return errors.New("double-star (**) syntax is not supported")
	}
	if _, err := filepath.Match(rule, "abc"); err != nil {
		return err
	}
	p := ignorePattern{}
	if strings.HasPrefix(rule, "!") {
		p.negate = true
		rule = rule[1:]
	}
	if strings.HasSuffix(rule, "/") {
		p.mustDir = true
		rule = strings.TrimSuffix(rule, "/")
	}
	switch {
	case strings.HasPrefix(rule, "/"):
		p.kind = 2
		rule = rule[1:]
	case strings.Contains(rule, "/"):
		p.kind = 1
	}
	p.rule = rule
	r.patterns = append(r.patterns, p)
	return nil
}

func (p ignorePattern) match(name string) bool {
	if p.kind == 0 {
		name = filepath.Base(name)
	}
	ok, err := filepath.Match(p.rule, name)
	return err == nil && ok
}

// ignore is Rules.Ignore for a path relative to the chart root.
func (r *ignoreRules) ignore(name string, isDir bool) bool {
	if name == "" || name == "." || name == "./" {
		return false
	}
	for _, p := range r.patterns {
		if p.negate {
			if p.mustDir && !isDir {
				return true
			}
			if !p.match(name) {
				return true
			}
			continue
		}
		if p.mustDir && !isDir {
			continue
		}
		if p.match(name) {
			return true
		}
	}
	return false
}
