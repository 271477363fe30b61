package scenarios

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNameFrom(t *testing.T) {
	for in, want := range map[string]string{
		"My App":                   "my-app",
		"TestSync/periodic_run#01": "testsync-periodic-run-01",
		"--x--":                    "x",
		"Ünïcode only ü":           "n-code-only",
		"":                         "",
		"!!!":                      "",
	} {
		got := NameFrom(in)
		assert.Equal(t, want, got, in)
		if got != "" {
			_, err := Parse("n.yaml", []byte("version: 1\nname: "+got+"\nduration: 1h\n"))
			assert.NoError(t, err, "a valid name: %q", got)
		}
	}
}

func ExampleNameFrom() {
	fmt.Println(NameFrom("TestUpload/on Wi-Fi"))
	// Output: testupload-on-wi-fi
}
