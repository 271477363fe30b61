package plugin

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestJSONQuote: org.json's JSONStringer escapes '/' (Android stores maps and
// mixed lists as JSON with it); Dart's jsonEncode does not (0.5 sends
// inputData as a JSON string). Both escape quotes, backslashes and control
// characters alike.
func TestJSONQuote(t *testing.T) {
	for _, tc := range []struct{ in, org, dart string }{
		{`a/b`, `"a\/b"`, `"a/b"`},
		{`say "hi"\`, `"say \"hi\"\\"`, `"say \"hi\"\\"`},
		{"tab\tnl\n\x01", `"tab\tnl\n\u0001"`, `"tab\tnl\n\u0001"`},
		{"ünï", `"ünï"`, `"ünï"`},
	} {
		var o, d strings.Builder
		orgQuote(&o, tc.in)
		dartQuote(&d, tc.in)
		assert.Equal(t, tc.org, o.String(), tc.in)
		assert.Equal(t, tc.dart, d.String(), tc.in)
	}
}
