// values.schema.json validation. Helm v4 validates with santhosh-tekuri/jsonschema v6, which
// Debian does not package; the reference uses xeipuuv/gojsonschema (what Helm 3 used until
// 3.18). Which values pass or fail agrees for the drafts both support; the per-error lines
// differ, so the differential test compares schema errors only up to the chart names.
package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// ValidateAgainstSchema checks the chart's values and, recursively, each subchart's section.
func ValidateAgainstSchema(c *Chart, values map[string]interface{}) error {
	var sb strings.Builder
	if c.Schema != nil {
		if err := validateSingle(values, c.Schema); err != nil {
			fmt.Fprintf(&sb, "%s:\n", c.Name())
			sb.WriteString(err.Error())
		}
	}
	for _, sub := range c.Dependencies() {
		raw, ok := values[sub.Name()]
		if !ok || raw == nil {
			continue
		}
		sv, ok := raw.(map[string]interface{})
		if !ok {
			fmt.Fprintf(&sb, "%s:\ninvalid type for values: expected object (map), got %T\n", sub.Name(), raw)
			continue
		}
		if err := ValidateAgainstSchema(sub, sv); err != nil {
			sb.WriteString(err.Error())
		}
	}
	if sb.Len() > 0 {
		return errors.New(sb.String())
	}
	return nil
}

func validateSingle(values map[string]interface{}, schema []byte) (reterr error) {
	defer func() {
		if r := recover(); r != nil {
			reterr = fmt.Errorf("unable to validate schema: %s", r)
		}
	}()
	res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewGoLoader(values))
	if err != nil {
		return err
	}
	if res.Valid() {
		return nil
	}
	var b strings.Builder
	for i, e := range res.Errors() {
		if i > 0 {
			b.WriteString("\n")
		}
		p := "/" + strings.ReplaceAll(e.Field(), ".", "/")
		if e.Field() == "(root)" {
			p = ""
		}
		fmt.Fprintf(&b, "- at '%s': %s", p, e.Description())
	}
	return errors.New(b.String() + "\n")
}
