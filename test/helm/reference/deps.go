// Dependency processing as helm.sh/helm/v4/pkg/chart/v2/util/dependencies.go does it: aliases,
// condition and tags (which remove disabled subcharts), then import-values from children into
// parents.
package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/Masterminds/semver"

	"helmref/common"
)

// IsCompatibleRange tells whether a version meets a semver constraint (false on parse errors).
func IsCompatibleRange(constraint, ver string) bool {
	sv, err := semver.NewVersion(ver)
	if err != nil {
		return false
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return false
	}
	return c.Check(sv)
}

// ProcessDependencies applies enabled-ness and import-values to the chart tree.
func ProcessDependencies(c *Chart, v common.Values) error {
	if err := processDependencyEnabled(c, v, ""); err != nil {
		return err
	}
	return processDependencyImportValues(c, true)
}

func processDependencyConditions(reqs []*Dependency, cvals common.Values, cpath string) {
	for _, r := range reqs {
		for _, c := range strings.Split(strings.TrimSpace(r.Condition), ",") {
			if c == "" {
				continue
			}
			vv, err := cvals.PathValue(cpath + c)
			if err == nil {
				if bv, ok := vv.(bool); ok {
					r.Enabled = bv
					break
				}
			}
		}
	}
}

func processDependencyTags(reqs []*Dependency, cvals common.Values) {
	vt, err := cvals.Table("tags")
	if err != nil {
		return
	}
	for _, r := range reqs {
		var hasTrue, hasFalse bool
		for _, k := range r.Tags {
			if b, ok := vt[k]; ok {
				if bv, ok := b.(bool); ok {
					if bv {
						hasTrue = true
					} else {
						hasFalse = true
					}
				}
			}
		}
		if !hasTrue && hasFalse {
			r.Enabled = false
		} else if hasTrue || !hasTrue && !hasFalse {
			r.Enabled = true
		}
	}
}

// getAliasDependency finds the loaded chart for a dependency (name and version range) and
// returns a copy renamed to its alias.
func getAliasDependency(charts []*Chart, dep *Dependency) *Chart {
	for _, c := range charts {
		if c == nil || c.Name() != dep.Name {
			continue
		}
		if !IsCompatibleRange(dep.Version, c.Metadata.Version) {
			continue
		}
		out := *c
		md := *c.Metadata
		if md.Dependencies != nil {
			ds := make([]*Dependency, len(md.Dependencies))
			for i := range md.Dependencies {
				d := *md.Dependencies[i]
				ds[i] = &d
			}
			md.Dependencies = ds
		}
		out.Metadata = &md
		out.SetDependencies()
		for _, d := range c.Dependencies() {
			cpy := *d
			out.AddDependency(&cpy)
		}
		if dep.Alias != "" {
			out.Metadata.Name = dep.Alias
		}
		return &out
	}
	return nil
}

func processDependencyEnabled(c *Chart, v map[string]interface{}, path string) error {
	if c.Metadata.Dependencies == nil {
		return nil
	}
	var chartDeps []*Chart
outer:
	for _, existing := range c.Dependencies() {
		for _, req := range c.Metadata.Dependencies {
			if existing.Name() == req.Name && IsCompatibleRange(req.Version, existing.Metadata.Version) {
				continue outer
			}
		}
		chartDeps = append(chartDeps, existing)
	}
	for _, req := range c.Metadata.Dependencies {
		if req == nil {
			continue
		}
		if cd := getAliasDependency(c.Dependencies(), req); cd != nil {
			chartDeps = append(chartDeps, cd)
		}
		if req.Alias != "" {
			req.Name = req.Alias
		}
	}
	c.SetDependencies(chartDeps...)
	for _, r := range c.Metadata.Dependencies {
		r.Enabled = true
	}
	cvals, err := CoalesceValues(c, v)
	if err != nil {
		return err
	}
	processDependencyTags(c.Metadata.Dependencies, cvals)
	processDependencyConditions(c.Metadata.Dependencies, cvals, path)
	rm := map[string]bool{}
	for _, r := range c.Metadata.Dependencies {
		if !r.Enabled {
			rm[r.Name] = true
		}
	}
	var cd []*Chart
	for _, n := range c.Dependencies() {
		if !rm[n.Metadata.Name] {
			cd = append(cd, n)
		}
	}
	var cdMeta []*Dependency
	for _, n := range c.Metadata.Dependencies {
		if !rm[n.Name] {
			cdMeta = append(cdMeta, n)
		}
	}
	for _, t := range cd {
		if err := processDependencyEnabled(t, cvals, path+t.Metadata.Name+"."); err != nil {
			return err
		}
	}
	c.Metadata.Dependencies = nil
	c.Metadata.Dependencies = append(c.Metadata.Dependencies, cdMeta...)
	c.SetDependencies(cd...)
	return nil
}

func pathToMap(path string, data map[string]interface{}) map[string]interface{} {
	if path == "." {
		return data
	}
	parts := strings.Split(path, ".")
	cur := data
	for i := len(parts) - 1; i >= 0; i-- {
		cur = map[string]interface{}{parts[i]: cur}
	}
	return cur
}

func processImportValues(c *Chart, merge bool) error {
	if c.Metadata.Dependencies == nil {
		return nil
	}
	var cvals common.Values
	var err error
	if merge {
		cvals, err = MergeValues(c, nil)
	} else {
		cvals, err = CoalesceValues(c, nil)
	}
	if err != nil {
		return err
	}
	b := map[string]interface{}{}
	for _, r := range c.Metadata.Dependencies {
		var outiv []interface{}
		for _, riv := range r.ImportValues {
			switch iv := riv.(type) {
			case map[string]interface{}:
				child := fmt.Sprintf("%v", iv["child"])
				parent := fmt.Sprintf("%v", iv["parent"])
				outiv = append(outiv, map[string]string{"child": child, "parent": parent})
				vv, err := cvals.Table(r.Name + "." + child)
				if err != nil {
					continue
				}
				if merge {
					b = MergeTables(b, pathToMap(parent, vv.AsMap()))
				} else {
					b = CoalesceTables(b, pathToMap(parent, vv.AsMap()))
				}
			case string:
				child := "exports." + iv
				outiv = append(outiv, map[string]string{"child": child, "parent": "."})
				vm, err := cvals.Table(r.Name + "." + child)
				if err != nil {
					continue
				}
				if merge {
					b = MergeTables(b, vm.AsMap())
				} else {
					b = CoalesceTables(b, vm.AsMap())
				}
			}
		}
		r.ImportValues = outiv
	}
	if merge {
		cv, _ := deepCopy(map[string]interface{}(cvals)).(map[string]interface{})
		c.Values = MergeTables(cv, b)
	} else {
		c.Values = CoalesceTables(trimNilValues(cvals), b)
	}
	return nil
}

func trimNilValues(vals map[string]interface{}) map[string]interface{} {
	m, _ := deepCopy(vals).(map[string]interface{})
	for k, v := range m {
		if v == nil {
			delete(m, k)
		} else if istable(v) {
			m[k] = trimNilValues(v.(map[string]interface{}))
		}
	}
	return m
}

func processDependencyImportValues(c *Chart, merge bool) error {
	for _, d := range c.Dependencies() {
		if err := processDependencyImportValues(d, merge); err != nil {
			return err
		}
	}
	return processImportValues(c, merge)
}

// CheckDependencies reports declared dependencies missing from charts/ (action.CheckDependencies).
func CheckDependencies(c *Chart, reqs []*Dependency) error {
	var missing []string
outer:
	for _, r := range reqs {
		for _, d := range c.Dependencies() {
			if d.Name() == r.Name {
				continue outer
			}
		}
		missing = append(missing, r.Name)
	}
	if len(missing) > 0 {
		return errors.New("found in Chart.yaml, but missing in charts/ directory: " + strings.Join(missing, ", "))
	}
	return nil
}
