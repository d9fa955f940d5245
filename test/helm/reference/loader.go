// Chart loading as helm.sh/helm/v4/pkg/chart/v2/loader does it: a directory (with the top
// chart's .helmignore), subcharts under charts/ (directories and .tgz archives), Chart.yaml
// (apiVersion v1 with requirements.yaml, or v2), values.yaml (several documents merged),
// values.schema.json, and metadata validation with Helm's messages.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/Masterminds/semver"
	"github.com/ghodss/yaml"
)

// File is a chart file: a name relative to the chart root and its bytes.
type File struct {
	Name string
	Data []byte
}

// Maintainer is one Chart.yaml maintainer.
type Maintainer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Dependency is one Chart.yaml (or requirements.yaml) dependency.
type Dependency struct {
	Name         string        `json:"name"`
	Version      string        `json:"version,omitempty"`
	Repository   string        `json:"repository"`
	Condition    string        `json:"condition,omitempty"`
	Tags         []string      `json:"tags,omitempty"`
	Enabled      bool          `json:"enabled,omitempty"`
	ImportValues []interface{} `json:"import-values,omitempty"`
	Alias        string        `json:"alias,omitempty"`
}

// Metadata is Chart.yaml. Field order matters: .Chart is built from it field by field.
type Metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []*Maintainer     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []*Dependency     `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

// Chart is a loaded chart with its dependencies.
type Chart struct {
	Metadata  *Metadata
	Templates []*File
	Values    map[string]interface{}
	Schema    []byte
	Files     []*File

	parent       *Chart
	dependencies []*Chart
}

func (c *Chart) Name() string {
	if c.Metadata == nil {
		return ""
	}
	return c.Metadata.Name
}
func (c *Chart) IsRoot() bool           { return c.parent == nil }
func (c *Chart) Dependencies() []*Chart { return c.dependencies }
func (c *Chart) SetDependencies(cs ...*Chart) {
	c.dependencies = nil
	c.AddDependency(cs...)
}
func (c *Chart) AddDependency(cs ...*Chart) {
	for _, x := range cs {
		x.parent = c
		c.dependencies = append(c.dependencies, x)
	}
}

// ChartFullPath is "parent/charts/child": the prefix of template names.
func (c *Chart) ChartFullPath() string {
	if !c.IsRoot() {
		return c.parent.ChartFullPath() + "/charts/" + c.Name()
	}
	return c.Name()
}

func (c *Chart) IsLibrary() bool { return strings.EqualFold(c.Metadata.Type, "library") }

// CRDObjects lists crds/*.yaml|yml|json of the chart and its dependencies (for --include-crds).
func (c *Chart) CRDObjects() []*File {
	var out []*File
	for _, f := range c.Files {
		if strings.HasPrefix(f.Name, "crds/") && hasManifestExtension(f.Name) {
			out = append(out, &File{Name: path.Join(c.ChartFullPath(), f.Name), Data: f.Data})
		}
	}
	for _, d := range c.dependencies {
		out = append(out, d.CRDObjects()...)
	}
	return out
}

func hasManifestExtension(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml" || ext == ".json"
}

// validationError is Helm's chart.ValidationError.
type validationError string

func (v validationError) Error() string { return "validation: " + string(v) }

// sanitizeString replaces whitespace by spaces and drops unprintable runes.
func sanitizeString(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
}

var aliasNameFormat = regexp.MustCompile("^[a-zA-Z0-9_-]+$")

// validate is Metadata.Validate: sanitizes strings, then checks in Helm's order.
func (md *Metadata) validate() error {
	if md == nil {
		return validationError("chart.metadata is required")
	}
	md.Name = sanitizeString(md.Name)
	md.Description = sanitizeString(md.Description)
	md.Home = sanitizeString(md.Home)
	md.Icon = sanitizeString(md.Icon)
	md.Condition = sanitizeString(md.Condition)
	md.Tags = sanitizeString(md.Tags)
	md.AppVersion = sanitizeString(md.AppVersion)
	md.KubeVersion = sanitizeString(md.KubeVersion)
	for i := range md.Sources {
		md.Sources[i] = sanitizeString(md.Sources[i])
	}
	for i := range md.Keywords {
		md.Keywords[i] = sanitizeString(md.Keywords[i])
	}
	if md.APIVersion == "" {
		return validationError("chart.metadata.apiVersion is required")
	}
	if md.Name == "" {
		return validationError("chart.metadata.name is required")
	}
	if md.Name == "." || md.Name == ".." {
		return validationError(fmt.Sprintf("chart.metadata.name %q is not allowed", md.Name))
	}
	if md.Name != filepath.Base(md.Name) {
		return validationError(fmt.Sprintf("chart.metadata.name %q is invalid", md.Name))
	}
	if md.Version == "" {
		return validationError("chart.metadata.version is required")
	}
	if _, err := semver.NewVersion(md.Version); err != nil {
		return validationError(fmt.Sprintf("chart.metadata.version %q is invalid", md.Version))
	}
	switch md.Type {
	case "", "application", "library":
	default:
		return validationError("chart.metadata.type must be application or library")
	}
	for _, m := range md.Maintainers {
		if m == nil {
			return validationError("maintainers must not contain empty or null nodes")
		}
		m.Name = sanitizeString(m.Name)
		m.Email = sanitizeString(m.Email)
		m.URL = sanitizeString(m.URL)
	}
	seen := map[string]bool{}
	for _, d := range md.Dependencies {
		if d == nil {
			return validationError("dependencies must not contain empty or null nodes")
		}
		d.Name = sanitizeString(d.Name)
		d.Version = sanitizeString(d.Version)
		d.Repository = sanitizeString(d.Repository)
		d.Condition = sanitizeString(d.Condition)
		for i := range d.Tags {
			d.Tags[i] = sanitizeString(d.Tags[i])
		}
		if d.Alias != "" && !aliasNameFormat.MatchString(d.Alias) {
			return validationError(fmt.Sprintf("dependency %q has disallowed characters in the alias", d.Name))
		}
		key := d.Name
		if d.Alias != "" {
			key = d.Alias
		}
		if seen[key] {
			return validationError(fmt.Sprintf("more than one dependency with name or alias %q", key))
		}
		seen[key] = true
	}
	return nil
}

var utf8bom = []byte{0xEF, 0xBB, 0xBF}

// LoadDir reads a chart directory: files in lexical walk order, symlinks followed, the top
// chart's .helmignore (plus the default rule templates/.?*) applied.
func LoadDir(dir string) (*Chart, error) {
	top, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	chartYaml := filepath.Join(top, "Chart.yaml")
	data, err := os.ReadFile(chartYaml)
	if err != nil {
		return nil, fmt.Errorf("unable to detect chart at %s: %w", chartYaml, err)
	}
	var base struct {
		APIVersion string `json:"apiVersion,omitempty"`
	}
	if err := yaml.Unmarshal(data, &base); err != nil {
		return nil, fmt.Errorf("cannot load Chart.yaml: %w", err)
	}
	switch base.APIVersion {
	case "v1", "v2", "":
	default:
		// Helm v4 also loads apiVersion v3 (experimental); the reference does not.
		return nil, errors.New("unsupported chart version")
	}

	rules := emptyRules()
	if ig, err := os.ReadFile(filepath.Join(top, ".helmignore")); err == nil {
		r, err := parseIgnore(ig)
		if err != nil {
			return nil, err
		}
		rules = r
	}
	rules.addDefaults()

	var files []*File
	var walk func(abs, rel string) error
	walk = func(abs, rel string) error {
		fi, err := os.Stat(abs) // follows symlinks, as Helm's sympath walk does
		if err != nil {
			return err
		}
		if fi.IsDir() {
			if rel != "" && rules.ignore(rel, true) {
				return nil
			}
			names, err := readDirNames(abs)
			if err != nil {
				return err
			}
			for _, n := range names {
				childRel := n
				if rel != "" {
					childRel = rel + "/" + n
				}
				if err := walk(filepath.Join(abs, n), childRel); err != nil {
					return err
				}
			}
			return nil
		}
		if rules.ignore(rel, false) {
			return nil
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("cannot load irregular file %s as it has file mode type bits set", abs)
		}
		if fi.Size() > maxDecompressedFileSize {
			return fmt.Errorf("chart file %q is larger than the maximum file size %d", fi.Name(), maxDecompressedFileSize)
		}
		b, err := os.ReadFile(abs)
		if err != nil {
			return fmt.Errorf("error reading %s: %w", rel, err)
		}
		files = append(files, &File{Name: rel, Data: bytes.TrimPrefix(b, utf8bom)})
		return nil
	}
	if err := walk(top, ""); err != nil {
		return nil, err
	}
	return LoadFiles(files)
}

func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

const (
	maxDecompressedChartSize = 100 * 1024 * 1024
	maxDecompressedFileSize  = 5 * 1024 * 1024
)

var drivePathPattern = regexp.MustCompile(`^[a-zA-Z]:/`)

// loadArchiveFiles reads a gzipped tar: the first path segment (the chart's folder) dropped.
func loadArchiveFiles(in io.Reader) ([]*File, error) {
	unzipped, err := gzip.NewReader(in)
	if err != nil {
		return nil, err
	}
	defer unzipped.Close()
	var files []*File
	tr := tar.NewReader(unzipped)
	remaining := int64(maxDecompressedChartSize)
	for {
		hd, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if hd.FileInfo().IsDir() {
			continue
		}
		if hd.Typeflag == tar.TypeXGlobalHeader || hd.Typeflag == tar.TypeXHeader {
			continue
		}
		delim := "/"
		if strings.ContainsRune(hd.Name, '\\') {
			delim = "\\"
		}
		parts := strings.Split(hd.Name, delim)
		n := strings.ReplaceAll(strings.Join(parts[1:], delim), delim, "/")
		if path.IsAbs(n) {
			return nil, errors.New("chart illegally contains absolute paths")
		}
		n = path.Clean(n)
		if n == "." {
			return nil, fmt.Errorf("chart illegally contains content outside the base directory: %q", hd.Name)
		}
		if strings.HasPrefix(n, "..") {
			return nil, errors.New("chart illegally references parent directory")
		}
		if drivePathPattern.MatchString(n) {
			return nil, errors.New("chart contains illegally named files")
		}
		if parts[0] == "Chart.yaml" {
			return nil, errors.New("chart yaml not in base directory")
		}
		if hd.Size > remaining {
			return nil, fmt.Errorf("decompressed chart is larger than the maximum size %d", maxDecompressedChartSize)
		}
		if hd.Size > maxDecompressedFileSize {
			return nil, fmt.Errorf("decompressed chart file %q is larger than the maximum file size %d", hd.Name, maxDecompressedFileSize)
		}
		var b bytes.Buffer
		written, err := io.Copy(&b, io.LimitReader(tr, remaining))
		if err != nil {
			return nil, err
		}
		remaining -= written
		if written < hd.Size || remaining <= 0 {
			return nil, fmt.Errorf("decompressed chart is larger than the maximum size %d", maxDecompressedChartSize)
		}
		files = append(files, &File{Name: n, Data: bytes.TrimPrefix(b.Bytes(), utf8bom)})
	}
	if len(files) == 0 {
		return nil, errors.New("no files in chart archive")
	}
	return files, nil
}

// loadArchive is loader.LoadArchive (used for .tgz subcharts).
func loadArchive(data []byte) (*Chart, error) {
	files, err := loadArchiveFiles(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, gzip.ErrHeader) {
			return nil, fmt.Errorf("stream does not appear to be a valid chart file (details: %w)", err)
		}
		return nil, fmt.Errorf("unable to load chart archive: %w", err)
	}
	for _, f := range files {
		if f.Name == "Chart.yaml" {
			var base struct {
				APIVersion string `json:"apiVersion,omitempty"`
			}
			if err := yaml.Unmarshal(f.Data, &base); err != nil {
				return nil, fmt.Errorf("cannot load Chart.yaml: %w", err)
			}
			switch base.APIVersion {
			case "v1", "v2", "":
				return LoadFiles(files)
			default:
				return nil, errors.New("unsupported chart version")
			}
		}
	}
	return nil, errors.New("unable to detect chart version, no Chart.yaml found")
}

// LoadFiles builds a chart from its files (loader.LoadFiles).
func LoadFiles(files []*File) (*Chart, error) {
	c := &Chart{}
	subcharts := map[string][]*File{}
	var subchartOrder []string
	for _, f := range files {
		if f.Name == "Chart.yaml" {
			if c.Metadata == nil {
				c.Metadata = new(Metadata)
			}
			if err := yaml.Unmarshal(f.Data, c.Metadata); err != nil {
				return c, fmt.Errorf("cannot load Chart.yaml: %w", err)
			}
			if c.Metadata.APIVersion == "" {
				c.Metadata.APIVersion = "v1"
			}
		}
	}
	for _, f := range files {
		switch {
		case f.Name == "Chart.yaml":
		case f.Name == "Chart.lock":
			var lock interface{}
			if err := yaml.Unmarshal(f.Data, &lock); err != nil {
				return c, fmt.Errorf("cannot load Chart.lock: %w", err)
			}
		case f.Name == "values.yaml":
			v, err := LoadValues(f.Data)
			if err != nil {
				return c, fmt.Errorf("cannot load values.yaml: %w", err)
			}
			c.Values = v
		case f.Name == "values.schema.json":
			c.Schema = f.Data
		case f.Name == "requirements.yaml":
			if c.Metadata == nil {
				c.Metadata = new(Metadata)
			}
			if err := yaml.Unmarshal(f.Data, c.Metadata); err != nil {
				return c, fmt.Errorf("cannot load requirements.yaml: %w", err)
			}
			if c.Metadata.APIVersion == "v1" {
				c.Files = append(c.Files, f)
			}
		case f.Name == "requirements.lock":
			var lock interface{}
			if err := yaml.Unmarshal(f.Data, &lock); err != nil {
				return c, fmt.Errorf("cannot load requirements.lock: %w", err)
			}
			if c.Metadata == nil {
				c.Metadata = new(Metadata)
			}
			if c.Metadata.APIVersion == "v1" {
				c.Files = append(c.Files, f)
			}
		case strings.HasPrefix(f.Name, "templates/"):
			c.Templates = append(c.Templates, f)
		case strings.HasPrefix(f.Name, "charts/"):
			if filepath.Ext(f.Name) == ".prov" {
				c.Files = append(c.Files, f)
				continue
			}
			rest := strings.TrimPrefix(f.Name, "charts/")
			cname := strings.SplitN(rest, "/", 2)[0]
			if _, ok := subcharts[cname]; !ok {
				subchartOrder = append(subchartOrder, cname)
			}
			subcharts[cname] = append(subcharts[cname], &File{Name: rest, Data: f.Data})
		default:
			c.Files = append(c.Files, f)
		}
	}
	if c.Metadata == nil {
		return c, errors.New("Chart.yaml file is missing")
	}
	if err := c.Metadata.validate(); err != nil {
		return c, err
	}
	// Helm visits subcharts in Go map order (random); the reference goes in file order.
	for _, n := range subchartOrder {
		fs := subcharts[n]
		var sc *Chart
		var err error
		switch {
		case strings.IndexAny(n, "_.") == 0:
			continue
		case filepath.Ext(n) == ".tgz":
			if fs[0].Name != n {
				return c, fmt.Errorf("error unpacking subchart tar in %s: expected %s, got %s", c.Name(), n, fs[0].Name)
			}
			sc, err = loadArchive(fs[0].Data)
		default:
			var buff []*File
			for _, f := range fs {
				parts := strings.SplitN(f.Name, "/", 2)
				if len(parts) < 2 {
					continue
				}
				buff = append(buff, &File{Name: parts[1], Data: f.Data})
			}
			sc, err = LoadFiles(buff)
		}
		if err != nil {
			return c, fmt.Errorf("error unpacking subchart %s in %s: %w", n, c.Name(), err)
		}
		c.AddDependency(sc)
	}
	return c, nil
}

// LoadValues reads a values file: YAML documents split as k8s.io/apimachinery's YAMLReader does
// (lines starting with "---"; CRLF read as LF), each read with sigs.k8s.io/yaml, merged in order.
func LoadValues(b []byte) (map[string]interface{}, error) {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(append([]byte{}, b...), '\n')
	}
	values := map[string]interface{}{}
	r := bufio.NewReader(bytes.NewReader(b))
	for {
		doc, err := readYAMLDocument(r)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("error reading yaml document: %w", err)
		}
		current := map[string]interface{}{}
		if err := yaml.Unmarshal(doc, &current); err != nil {
			return nil, fmt.Errorf("cannot unmarshal yaml document: %w", err)
		}
		values = MergeMaps(values, current)
	}
	return values, nil
}

// readLine is apimachinery's LineReader.Read: a line without its "\n" or "\r\n", plus "\n".
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf bytes.Buffer
	isPrefix := true
	var err error
	var line []byte
	for isPrefix && err == nil {
		line, isPrefix, err = r.ReadLine()
		buf.Write(line)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), err
}

// readYAMLDocument is apimachinery's YAMLReader.Read.
func readYAMLDocument(r *bufio.Reader) ([]byte, error) {
	var buffer bytes.Buffer
	for {
		line, err := readLine(r)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if bytes.HasPrefix(line, []byte("---")) {
			trimmed := strings.TrimSpace(string(line[3:]))
			if len(trimmed) > 0 && trimmed[0] != '#' {
				return nil, fmt.Errorf("invalid Yaml document separator: %s", trimmed)
			}
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			if err == io.EOF {
				return nil, err
			}
		}
		if err == io.EOF {
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			return nil, err
		}
		buffer.Write(line)
	}
}

// MergeMaps merges b into a copy of a: maps recursively, everything else replaced.
func MergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if vm, ok := v.(map[string]interface{}); ok {
			if bv, ok := out[k]; ok {
				if bm, ok := bv.(map[string]interface{}); ok {
					out[k] = MergeMaps(bm, vm)
					continue
				}
			}
		}
		out[k] = v
	}
	return out
}
