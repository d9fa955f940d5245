// helm-ref: the reference renderer the JS Helm engine is tested against. It mirrors
// `helm template` of Helm v4 (helm/helm main) on Go 1.19 with Debian's sprig 3.2.3, written from
// reading Helm's sources (no code copied). Modes:
//
//	helm-ref template CHART_DIR [-f FILE]... [--set K=V]... [--set-string K=V]...
//	    [--release-name N] [--namespace NS] [--kube-version V] [--api-versions V]...
//	    [--show-only T]... [--notes] [--is-upgrade] [--include-crds] [--skip-tests]
//	    [--helm-test-defaults]
//	helm-ref bare < cases.json      (JSON [{templates:[{name,text}], entry, values}] → [{output}|{error}])
//
// `template` prints what `helm template` prints; on failure "Error: MSG" on stderr and exit 1.
// --notes (not a Helm flag) appends the top chart's rendered NOTES.txt as `helm install --dry-run`
// shows it ("NOTES:\n" + trimmed text). --helm-test-defaults uses the capabilities Helm's own
// tests run with (Kubernetes v1.20.0), to compare with Helm's golden files.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"helmref/common"
	"helmref/engine"
	"helmref/version"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: helm-ref template CHART [flags] | helm-ref bare < cases.json")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "template":
		out, err := runTemplate(os.Args[2:])
		os.Stdout.WriteString(out)
		if err != nil {
			fmt.Fprintf(os.Stderr, "Error: %s\n", err.Error())
			os.Exit(1)
		}
	case "bare":
		if err := runBare(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown mode "+os.Args[1])
		os.Exit(2)
	}
}

type templateOptions struct {
	chartDir     string
	valueFiles   []string
	set          []string
	setString    []string
	releaseName  string
	namespace    string
	kubeVersion  string
	apiVersions  []string
	showOnly     []string
	notes        bool
	isUpgrade    bool
	includeCRDs  bool
	skipTests    bool
	testDefaults bool
	debug        bool
}

func parseFlags(args []string) (*templateOptions, error) {
	o := &templateOptions{releaseName: "release-name", namespace: "default"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := a, "", false
		if strings.HasPrefix(a, "--") {
			if eq := strings.IndexByte(a, '='); eq != -1 {
				name, val, hasVal = a[:eq], a[eq+1:], true
			}
		}
		takes := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("flag needs an argument: %s", name)
			}
			i++
			return args[i], nil
		}
		var err error
		var v string
		switch name {
		case "-f", "--values":
			v, err = takes()
			o.valueFiles = append(o.valueFiles, v)
		case "--set":
			v, err = takes()
			o.set = append(o.set, v)
		case "--set-string":
			v, err = takes()
			o.setString = append(o.setString, v)
		case "--release-name":
			o.releaseName, err = takes()
		case "--namespace", "-n":
			o.namespace, err = takes()
		case "--kube-version":
			o.kubeVersion, err = takes()
		case "--api-versions", "-a":
			v, err = takes()
			// pflag's StringSlice: comma-separated values
			for _, x := range strings.Split(v, ",") {
				o.apiVersions = append(o.apiVersions, x)
			}
		case "--show-only", "-s":
			v, err = takes()
			o.showOnly = append(o.showOnly, v)
		case "--notes":
			o.notes = true
		case "--is-upgrade":
			o.isUpgrade = true
		case "--include-crds":
			o.includeCRDs = true
		case "--skip-tests":
			o.skipTests = true
		case "--debug":
			o.debug = true
		case "--helm-test-defaults":
			o.testDefaults = true
		default:
			if strings.HasPrefix(a, "-") {
				return nil, fmt.Errorf("unknown flag: %s", a)
			}
			if o.chartDir != "" {
				return nil, fmt.Errorf("unexpected argument %q", a)
			}
			o.chartDir = a
		}
		if err != nil {
			return nil, err
		}
	}
	if o.chartDir == "" {
		return nil, errors.New(`"helm template" requires at least 1 argument`)
	}
	return o, nil
}

const debugHint = "\n\nUse --debug flag to render out invalid YAML"

// runTemplate is `helm template` (pkg/cmd/template.go + install.go + action.Install.RunWithContext
// + renderResources) without a cluster.
func runTemplate(args []string) (string, error) {
	o, err := parseFlags(args)
	if err != nil {
		return "", err
	}
	caps := &common.Capabilities{
		KubeVersion: common.NewKubeVersion(1, 34),
		APIVersions: append(common.VersionSet{}, common.DefaultVersionSet...),
		HelmVersion: version.Get(),
	}
	if o.testDefaults {
		caps.KubeVersion = common.NewKubeVersion(1, 20)
		caps.HelmVersion = version.GetForTests()
	}
	if o.kubeVersion != "" {
		kv, err := common.ParseKubeVersion(o.kubeVersion)
		if err != nil {
			return "", fmt.Errorf("invalid kube version '%s': %w", o.kubeVersion, err)
		}
		caps.KubeVersion = *kv
	}
	caps.APIVersions = append(caps.APIVersions, o.apiVersions...)

	// values.Options.MergeValues: files, then every --set, then every --set-string.
	base := map[string]interface{}{}
	for _, f := range o.valueFiles {
		raw, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		cur, err := LoadValues(raw)
		if err != nil {
			return "", fmt.Errorf("failed to parse %s: %w", f, err)
		}
		base = MergeMaps(base, cur)
	}
	for _, s := range o.set {
		if err := ParseInto(s, base, false); err != nil {
			return "", fmt.Errorf("failed parsing --set data: %w", err)
		}
	}
	for _, s := range o.setString {
		if err := ParseInto(s, base, true); err != nil {
			return "", fmt.Errorf("failed parsing --set-string data: %w", err)
		}
	}

	ch, err := LoadDir(o.chartDir)
	if err != nil {
		return "", err
	}
	switch ch.Metadata.Type {
	case "", "application":
	default:
		return "", fmt.Errorf("%s charts are not installable", ch.Metadata.Type)
	}
	if reqs := ch.Metadata.Dependencies; len(reqs) > 0 {
		if err := CheckDependencies(ch, reqs); err != nil {
			return "", fmt.Errorf("an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: %w", err)
		}
	}
	if err := validateReleaseName(o.releaseName); err != nil {
		return "", fmt.Errorf("release name check failed: release name %q: %w", o.releaseName, err)
	}
	if err := ProcessDependencies(ch, base); err != nil {
		return "", fmt.Errorf("chart dependencies processing failed: %w", err)
	}

	// chartutil.ToRenderValuesWithSchemaValidation
	top := map[string]interface{}{
		"Chart":        metadataAsMap(ch.Metadata),
		"Capabilities": caps,
		"Release": map[string]interface{}{
			"Name":      o.releaseName,
			"Namespace": o.namespace,
			"IsUpgrade": o.isUpgrade,
			"IsInstall": !o.isUpgrade,
			"Revision":  1,
			"Service":   "Helm",
		},
	}
	vals, err := CoalesceValues(ch, base)
	if err != nil {
		return "", err
	}
	if err := ValidateAgainstSchema(ch, vals); err != nil {
		return "", fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%w", err)
	}
	top["Values"] = vals

	// renderResources
	if ch.Metadata.KubeVersion != "" && !IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return "", o.wrapDebug(fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, caps.KubeVersion.Version))
	}
	tpls := map[string]engine.Renderable{}
	recAllTpls(ch, tpls, common.Values(top))
	files, err := engine.Render(tpls)
	if err != nil {
		return "", o.wrapDebug(err)
	}
	var notes bytes.Buffer
	notesKeys := make([]string, 0)
	for k := range files {
		if strings.HasSuffix(k, "NOTES.txt") {
			notesKeys = append(notesKeys, k)
		}
	}
	sort.Strings(notesKeys)
	for _, k := range notesKeys {
		if k == path.Join(ch.Name(), "templates", "NOTES.txt") {
			notes.WriteString(files[k])
		}
		delete(files, k)
	}
	hooks, manifests, err := SortManifests(files)
	if err != nil {
		if o.debug {
			// --debug: Helm prints every rendered file (in map order; sorted here), then the error.
			var dump strings.Builder
			names := make([]string, 0, len(files))
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if strings.TrimSpace(files[n]) != "" {
					fmt.Fprintf(&dump, "---\n# Source: %s\n%s\n", n, files[n])
				}
			}
			return strings.TrimSpace(dump.String()) + "\n", err
		}
		return "", o.wrapDebug(err)
	}
	var b strings.Builder
	if o.includeCRDs {
		for _, crd := range ch.CRDObjects() {
			fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", crd.Name, string(crd.Data))
		}
	}
	for _, m := range manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}

	// pkg/cmd/template.go
	var out bytes.Buffer
	fmt.Fprintln(&out, strings.TrimSpace(b.String()))
	for _, h := range hooks {
		if o.skipTests && hasEvent(h, "test") {
			continue
		}
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", h.Path, h.Manifest)
	}
	var result strings.Builder
	if len(o.showOnly) > 0 {
		split := SplitManifests(out.String())
		keys := sortedManifestKeys(split)
		var chosen []string
		for _, f := range o.showOnly {
			f = filepath.ToSlash(f)
			missing := true
			for _, k := range keys {
				m := split[k]
				sub := manifestNameRegex.FindStringSubmatch(m)
				if len(sub) == 0 {
					continue
				}
				if ok, _ := filepath.Match(f, sub[1]); !ok {
					continue
				}
				chosen = append(chosen, m)
				missing = false
			}
			if missing {
				return "", fmt.Errorf("could not find template %s in chart", f)
			}
		}
		for _, m := range chosen {
			fmt.Fprintf(&result, "---\n%s\n", m)
		}
	} else {
		result.WriteString(out.String())
	}
	if o.notes && notes.Len() > 0 {
		fmt.Fprintf(&result, "NOTES:\n%s\n", strings.TrimSpace(notes.String()))
	}
	return result.String(), nil
}

var manifestNameRegex = regexp.MustCompile("# Source: [^/]+/(.+)")

// wrapDebug adds the hint that `helm template` appends to the errors it reports with a partial
// release (those of renderResources: kubeVersion, rendering, YAML of the output).
func (o *templateOptions) wrapDebug(err error) error {
	if o.debug {
		return err
	}
	return fmt.Errorf("%w%s", err, debugHint)
}

func hasEvent(h *Hook, e string) bool {
	for _, x := range h.Events {
		if x == e {
			return true
		}
	}
	return false
}

var validName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

func validateReleaseName(name string) error {
	if name == "" {
		return errors.New("no name provided")
	}
	if len(name) > 53 || !validName.MatchString(name) {
		return fmt.Errorf("invalid release name, must match regex %s and the length must not be longer than 53", validName.String())
	}
	return nil
}

// recAllTpls collects the templates of a chart and its dependencies with the dot of each
// (engine.recAllTpls): .Values scoped to the chart, .Chart, .Files, .Subcharts.
func recAllTpls(c *Chart, templates map[string]engine.Renderable, values common.Values) map[string]interface{} {
	subCharts := map[string]interface{}{}
	meta := metadataAsMap(c.Metadata)
	meta["IsRoot"] = c.IsRoot()
	names := make([]string, len(c.Files))
	datas := make([][]byte, len(c.Files))
	for i, f := range c.Files {
		names[i], datas[i] = f.Name, f.Data
	}
	next := map[string]interface{}{
		"Chart":        meta,
		"Files":        engine.NewFiles(names, datas),
		"Release":      values["Release"],
		"Capabilities": values["Capabilities"],
		"Values":       make(common.Values),
		"Subcharts":    subCharts,
	}
	if c.IsRoot() {
		next["Values"] = values["Values"]
	} else if vs, err := values.Table("Values." + c.Name()); err == nil {
		next["Values"] = vs
	}
	for _, child := range c.Dependencies() {
		subCharts[child.Name()] = recAllTpls(child, templates, next)
	}
	prefix := c.ChartFullPath()
	for _, t := range c.Templates {
		if c.IsLibrary() && !strings.HasPrefix(path.Base(t.Name), "_") {
			continue
		}
		templates[path.Join(prefix, t.Name)] = engine.Renderable{
			Tpl:      string(t.Data),
			Vals:     next,
			BasePath: path.Join(prefix, "templates"),
		}
	}
	return next
}

// metadataAsMap is Helm v4's structToMap of the chart metadata: every field under its Go name,
// nested structs and pointers as maps, slices as []interface{}, everything else as is.
func metadataAsMap(md *Metadata) map[string]interface{} {
	if md == nil {
		return nil
	}
	return structToMap(reflect.ValueOf(md).Elem())
}

func structToMap(v reflect.Value) map[string]interface{} {
	out := map[string]interface{}{}
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		name := t.Field(i).Name
		switch f.Kind() {
		case reflect.Struct:
			out[name] = structToMap(f)
		case reflect.Ptr:
			if f.IsNil() {
				out[name] = nil
			} else {
				out[name] = structToMap(f.Elem())
			}
		case reflect.Slice:
			s := make([]interface{}, f.Len())
			for j := 0; j < f.Len(); j++ {
				e := f.Index(j)
				switch e.Kind() {
				case reflect.Struct:
					s[j] = structToMap(e)
				case reflect.Ptr:
					if e.IsNil() {
						// Helm's structToMap fails on a nil element (and logs); validation rejects them first.
						s[j] = nil
					} else {
						s[j] = structToMap(e.Elem())
					}
				default:
					s[j] = e.Interface()
				}
			}
			out[name] = s
		default:
			out[name] = f.Interface()
		}
	}
	return out
}

// bare mode

type bareCase struct {
	Templates []engine.NamedText `json:"templates"`
	Entry     string             `json:"entry"`
	Values    interface{}        `json:"values"`
}

type bareResult struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func runBare(in io.Reader, w io.Writer) error {
	var cases []bareCase
	dec := json.NewDecoder(in)
	if err := dec.Decode(&cases); err != nil {
		return fmt.Errorf("bad input: %w", err)
	}
	results := make([]bareResult, len(cases))
	for i, c := range cases {
		vals, ok := c.Values.(map[string]interface{})
		if !ok {
			vals = map[string]interface{}{}
		}
		dot := map[string]interface{}{
			"Values": common.Values(vals),
			"Release": map[string]interface{}{
				"Name": "release-name", "Namespace": "default", "Service": "Helm",
				"IsInstall": true, "IsUpgrade": false, "Revision": 1,
			},
			"Chart":    map[string]interface{}{"Name": "gen", "Version": "0.1.0"},
			"Template": common.Values{"Name": c.Entry, "BasePath": "gen/templates"},
		}
		out, err := engine.RenderBare(c.Templates, c.Entry, dot)
		if err != nil {
			s := err.Error()
			results[i].Error = &s
		} else {
			results[i].Output = &out
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(results)
}
