package scenarios

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemaComment is the first line of every library scenario: it points
// editors with the YAML language server (VS Code's YAML extension, Neovim,
// JetBrains, Helix) at the schema in the repository.
const schemaComment = "# yaml-language-server: $schema=../schema.json"

// Every library scenario starts with the schema comment, and the path it
// names is the committed schema.
func TestLibraryFilesNameTheSchema(t *testing.T) {
	files, err := filepath.Glob("library/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		first, _, _ := bytes.Cut(b, []byte("\n"))
		assert.Equal(t, schemaComment, string(bytes.TrimRight(first, "\r")), "%s: the first line must be the schema comment", f)
	}
	target := filepath.Join("library", "../schema.json")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, schemaJSON, b)
}

// schemaURL is where the committed schema is served from the repository's
// default branch: what users' schema comments and the SchemaStore catalog
// entry in docs/editors.md point at.
const schemaURL = "https://raw.githubusercontent.com/wmsim/wmsim/main/scenarios/schema.json"

// The schema's $id is the stable SchemaID; docs/editors.md names it and
// gives the URL to fetch the file from.
func TestSchemaID(t *testing.T) {
	var doc struct {
		ID     string `json:"$id"`
		Schema string `json:"$schema"`
	}
	require.NoError(t, json.Unmarshal(schemaJSON, &doc))
	assert.Equal(t, SchemaID, doc.ID)
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc.Schema)

	// docs/editors.md gives the same URL to users and to SchemaStore.
	editors, err := os.ReadFile("../docs/editors.md")
	require.NoError(t, err)
	assert.Contains(t, string(editors), SchemaID)
	sc := bufio.NewScanner(bytes.NewReader(editors))
	for sc.Scan() {
		if bytes.Contains(sc.Bytes(), []byte(`"url":`)) {
			assert.Contains(t, sc.Text(), `"url": "`+schemaURL+`"`, "the SchemaStore entry points at the served file")
		}
	}
}
