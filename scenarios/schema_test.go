package scenarios

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// TestSchema regenerates the JSON Schema from the Go types (with their doc
// comments) and fails when schema.json is stale. Regenerate it with
// go test ./scenarios -run TestSchema -update.
func TestSchema(t *testing.T) {
	r := newReflector()
	if err := r.AddGoComments("github.com/wmsim/wmsim/scenarios", "./"); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(generateSchema(r), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if updating() {
		if err := os.WriteFile("schema.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(b, schemaJSON) {
		t.Fatal("schema.json is stale: run go test ./scenarios -run TestSchema -update")
	}
	if !bytes.Equal(Schema(), schemaJSON) {
		t.Fatal("Schema() differs from schema.json")
	}
}
