// Decoding of the Android additions: the quota source, content changes and
// OEM profile files.

package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/invopop/jsonschema"

	"github.com/wmsim/wmsim/internal/osscheduler/android"
)

// Android fidelity fields: android.quota, android.oem (a built-in profile or
// {file: …}), and the content_change step.

var (
	quotaEnum = enumSpec{values: []string{"aosp", "docs"}}
	// oemEnum is every built-in OEM profile (osscheduler/android/oem/*.yaml),
	// aosp first.
	oemEnum = func() enumSpec {
		vals := []string{"aosp"}
		for _, n := range android.OEMNames() {
			if n != "aosp" {
				vals = append(vals, n)
			}
		}
		return enumSpec{values: vals}
	}()
)

// QuotaSource selects the App Standby quota table: aosp (what each
// release's QuotaController ships, default) or docs (developer.android.com's
// published table).
type QuotaSource string

// Quota sources.
const (
	QuotaAOSP QuotaSource = "aosp"
	QuotaDocs QuotaSource = "docs"
)

// JSONSchema describes android.quota.
func (QuotaSource) JSONSchema() *jsonschema.Schema {
	return enumSchema(quotaEnum, "aosp (default): QuotaController as each release ships it; docs: developer.android.com's table")
}

// JSONSchema describes android.oem: a built-in profile or a file.
func (OEM) JSONSchema() *jsonschema.Schema {
	props := jsonschema.NewProperties()
	props.Set("file", &jsonschema.Schema{Type: "string", MinLength: ptr(uint64(1)),
		Description: "an OEM profile YAML file, relative to the scenario file"})
	return &jsonschema.Schema{
		OneOf: []*jsonschema.Schema{
			enumSchema(oemEnum, "a built-in OEM profile"),
			{
				Type:                 "object",
				Properties:           props,
				Required:             []string{"file"},
				AdditionalProperties: jsonschema.FalseSchema,
			},
		},
		Description: "aosp (default) | pixel | samsung | xiaomi | huawei | oneplus | oppo | vivo | aggressive, or {file: my-oem.yaml} (docs/oem.md).",
	}
}

// ContentChange is a timeline step: content at URI changed
// (ContentResolver.notifyChange). Work whose content-URI trigger watches the
// URI (or an ancestor with triggerForDescendants, or a descendant) runs after
// JobScheduler's update delay.
type ContentChange struct {
	URI string `json:"uri" jsonschema:"required,minLength=1"`
}

// ActionContentChange is a content_change step.
const ActionContentChange Action = "content_change"

// quota decodes android.quota.
func (d *decoder) quota(n ast.Node, path string) QuotaSource {
	if x, ok := d.enum(n, path, quotaEnum); ok {
		return QuotaSource(x)
	}
	return QuotaAOSP
}

// oem decodes android.oem: a built-in name or {file: path}; a file is read
// relative to the scenario file and checked at once.
func (d *decoder) oem(n ast.Node, path string) (OEM, *android.OEMProfile, string) {
	rn := d.resolve(n, path)
	switch rn.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		if x, ok := d.enum(n, path, oemEnum); ok {
			return OEM(x), nil, ""
		}
		return OEMAOSP, nil, ""
	}
	o := d.object(rn, path, "file")
	if o == nil {
		return OEMAOSP, nil, ""
	}
	v := o.require("file", "a path to an OEM profile YAML file (docs/oem.md)")
	if v == nil {
		return OEMAOSP, nil, ""
	}
	name, ok := d.str(v, o.at("file"))
	if !ok {
		return OEMAOSP, nil, ""
	}
	file := name
	if !filepath.IsAbs(file) && d.file != "" && !strings.HasPrefix(d.file, "<") {
		file = filepath.Join(filepath.Dir(d.file), file)
	}
	src, err := readOEMFile(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is the one written, at the node
		}
		d.errorf(v, o.at("file"), "a readable OEM profile file, relative to the scenario file", "cannot read OEM profile %s: %s", quoteShort(name), firstClause(err))
		return OEMAOSP, nil, ""
	}
	if len(src) > maxOEMFileBytes {
		d.errorf(v, o.at("file"), fmt.Sprintf("a profile of at most %d bytes", maxOEMFileBytes), "OEM profile %s is too large", quoteShort(name))
		return OEMAOSP, nil, ""
	}
	p, err := android.ParseOEMProfile(name, src) // errors name the file as written
	if err != nil {
		d.errorf(v, o.at("file"), "an OEM profile as in docs/oem.md", "%v", err)
		return OEMAOSP, nil, ""
	}
	return OEM(p.Name), p, name
}

// maxOEMFileBytes bounds an OEM profile file.
const maxOEMFileBytes = 1 << 20

// readOEMFile reads a regular file, at most maxOEMFileBytes+1 bytes of it (a
// device or a pipe named as a profile must not hang or exhaust memory).
func readOEMFile(name string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxOEMFileBytes+1))
}

// contentChange decodes a content_change step.
func (d *decoder) contentChange(n ast.Node, path string, key ast.Node) *ContentChange {
	if n == nil {
		d.errorf(key, path, "{uri: content://…}", "content_change needs a uri")
		return nil
	}
	o := d.object(n, path, "uri")
	if o == nil {
		return nil
	}
	c := &ContentChange{}
	if v := o.require("uri", "a content URI such as content://media/external/images"); v != nil {
		if s, ok := d.str(v, o.at("uri")); ok {
			if !strings.HasPrefix(s, "content://") {
				d.errorf(v, o.at("uri"), "a content URI: content://authority/path", "%s is not a content URI", quoteShort(s))
			}
			c.URI = s
		}
	}
	return c
}

// runJob decodes os.run_job and os.force (force only with run_job).
func (d *decoder) runJob(o *object, c *OSChange) {
	if v := o.get("run_job"); v != nil {
		if s, ok := d.str(v, o.at("run_job")); ok {
			if s == "" {
				d.errorf(v, o.at("run_job"), "the uniqueName of a registered task", "run_job needs a unique name")
			}
			c.RunJob = s
		}
	}
	if v := o.get("force"); v != nil {
		if !o.has("run_job") {
			d.errorf(o.keyNode("force"), o.at("force"), "force goes with run_job: in the same os step", "force without run_job")
		}
		if x, ok := d.boolean(v, o.at("force")); ok {
			c.Force = &x
		}
	}
}
