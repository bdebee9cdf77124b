package schema

import (
	"bytes"
	"testing"
)

// FuzzParse checks that Parse never panics, and that a case it accepts
// survives the trip through Canonical and FromJSON unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte("person: {name: X}\n"))
	f.Add(Template())
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		canon := c.Canonical()
		stored, err := FromJSON(canon)
		if err != nil {
			t.Fatalf("FromJSON(Canonical()) of an accepted case: %v\n%s", err, canon)
		}
		if !bytes.Equal(stored.Canonical(), canon) {
			t.Fatalf("Canonical() changed through FromJSON:\n%s\n%s", canon, stored.Canonical())
		}
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(Canonical()) of an accepted case: %v\n%s", err, canon)
		}
		if !bytes.Equal(again.Canonical(), canon) {
			t.Fatalf("Canonical() changed through Parse:\n%s\n%s", canon, again.Canonical())
		}
		c.Filter(func(string, Level) bool { return true })
	})
}
