package ids

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestPrefixRange: an ID matches a prefix exactly when its text starts
// with it, for arbitrary IDs and prefixes.
func TestPrefixRange(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var a, b ID
		copy(a[:], rapid.SliceOfN(rapid.Byte(), Len, Len).Draw(t, "a"))
		copy(b[:], rapid.SliceOfN(rapid.Byte(), Len, Len).Draw(t, "b"))
		n := rapid.IntRange(MinPrefix, 17).Draw(t, "n")
		text := CaseID(a).String()[:n]
		p, err := ParseCasePrefix(strings.ToUpper(text))
		if err != nil {
			t.Fatalf("prefix %q of a real ID refused: %v", text, err)
		}
		if !p.Match(a) {
			t.Fatalf("%s does not match its own prefix %q", CaseID(a), text)
		}
		if p.Full != (n == 17) || (p.Full && p.Lo != a) {
			t.Fatalf("prefix %q: full=%v lo=%x", text, p.Full, p.Lo)
		}
		if want := strings.HasPrefix(CaseID(b).String(), text); p.Match(b) != want {
			t.Fatalf("%s matches %q: %v, want %v", CaseID(b), text, p.Match(b), want)
		}
	})
}

func TestPrefixRefused(t *testing.T) {
	for _, s := range []string{"", "c", "cab", "c123", "eabcd", "cabc!", "cabcdefghijklmnopq", "b7k2m"} {
		if _, err := ParseCasePrefix(s); err == nil {
			t.Errorf("ParseCasePrefix(%q) accepted", s)
		}
	}
	if _, err := ParseEvidencePrefix("e7k2"); err != nil {
		t.Errorf("evidence prefix refused: %v", err)
	}
}
