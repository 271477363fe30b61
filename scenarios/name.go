package scenarios

import "strings"

// NameFrom makes a scenario name ([a-z0-9-]+) from free text, such as a
// project or test name: letters are lower-cased, letters and digits of
// ASCII are kept, and every other run of characters becomes one dash, with
// no dash at either end. It returns "" when nothing is left.
func NameFrom(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}
