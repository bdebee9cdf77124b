package publish

import (
	"errors"
	"strings"
	"testing"
)

// TestOverriddenVocabularyNotANeedle: one case makes its status and gender
// confidential (sensitivity_overrides); its own record withholds them, and
// the other cases, with the same status and gender, publish unchanged: a
// word of a controlled vocabulary is nobody's secret, so it is not searched
// for in other cases (no refusal, nothing redacted, the charts count it).
func TestOverriddenVocabularyNotANeedle(t *testing.T) {
	base := setField(t, loadCase(t, "crowd-1"), "publication.consent", "full")
	hidden := setField(t, base, "sensitivity_overrides", map[string]any{"status": "confidential", "person.gender": "confidential"})
	src := []Source{source("hidden", hidden)}
	for _, n := range []string{"a", "b", "c"} {
		src = append(src, source(n, base))
	}
	for _, redact := range []bool{false, true} {
		set, err := Prepare(testOrg, src, Options{Redact: redact})
		var leak *LeakError
		if errors.As(err, &leak) || err != nil {
			t.Fatalf("redact %v: %v", redact, err)
		}
		if len(set.Records) != 4 {
			t.Fatalf("redact %v: %d records", redact, len(set.Records))
		}
		for _, r := range set.Records {
			own := r.ID == src[0].PublicID
			switch {
			case own && (r.Status != "" || r.Gender != ""):
				t.Errorf("redact %v: the overriding case publishes status %q, gender %q", redact, r.Status, r.Gender)
			case !own && (r.Status != "pretrial" || r.Gender != "female"):
				t.Errorf("redact %v: another case publishes status %q, gender %q", redact, r.Status, r.Gender)
			}
		}
		p, err := Build(set, "html", testPub(), testSign)
		if err != nil {
			t.Fatal(err)
		}
		if txt := allText(p); strings.Contains(txt, Mask) {
			t.Errorf("redact %v: something was redacted", redact)
		}
		if charts := string(p.Files[ChartsName]); !strings.Contains(charts, ">pretrial<") || !strings.Contains(charts, ">3<") {
			t.Errorf("redact %v: the status chart does not count the three pretrial cases", redact)
		}
	}
}
