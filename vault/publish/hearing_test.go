package publish

import (
	"strings"
	"testing"
)

// TestNextHearing: a case with full consent publishes the first hearing
// on or after the day of publication, as a date only (not its time,
// outcome or notes, which the leak scan holds as secrets); an anonymous
// case, a case whose override raises its hearings, and a publication
// without a day publish none.
func TestNextHearing(t *testing.T) {
	hearings := []any{
		map[string]any{"date": "2026-11-02", "court": "Moscow City Court", "kind": "extension", "outcome": "detention extended by three months"},
		map[string]any{"date": "2027-01-20", "time": "10:30", "court": "Moscow City Court", "kind": "trial"},
		map[string]any{"date": "2026-12-04", "time": "14:00", "court": "Basmanny District Court", "kind": "appeal", "notes": "Witness Sergei Prokhorenko will testify"},
		map[string]any{"date": "2026-12", "kind": "other"},
	}
	km := setField(t, loadCase(t, "kara-murza"), "hearings", hearings)
	anon := setField(t, loadCase(t, "anonymous"), "hearings", hearings)
	hidden := setField(t, km, "sensitivity_overrides", map[string]any{"hearings.date": "restricted"})
	for _, tc := range []struct {
		name, today, want string
		src               Source
	}{
		{"full", "2026-11-30", "2026-12-04", source("km", km)},
		{"on the day", "2026-12-04", "2026-12-04", source("km", km)},
		{"after the last", "2027-01-21", "", source("km", km)},
		{"no day given", "", "", source("km", km)},
		{"anonymous", "2026-11-30", "", source("anonymous", anon)},
		{"override", "2026-11-30", "", source("km", hidden)},
	} {
		o := Options{Today: tc.today}
		p := build(t, []Source{tc.src}, "json", o)
		got := string(p.Files["cases.json"])
		if tc.want == "" {
			if strings.Contains(got, "next_hearing") {
				t.Errorf("%s: next_hearing published:\n%s", tc.name, got)
			}
		} else if !strings.Contains(got, `"next_hearing": "`+tc.want+`"`) {
			t.Errorf("%s: want next_hearing %s in:\n%s", tc.name, tc.want, got)
		}
		for _, secret := range []string{"14:00", "10:30", "Prokhorenko", "extended by three", "Basmanny"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s: %q published", tc.name, secret)
			}
		}
	}
	p := build(t, []Source{source("km", km)}, "html", Options{Today: "2026-11-30"})
	for name, b := range p.Files {
		if strings.HasPrefix(name, "cases/") && !strings.Contains(string(b), `<dt>Next hearing</dt><dd><time datetime="2026-12-04">2026-12-04</time></dd>`) {
			t.Errorf("%s does not show the next hearing", name)
		}
	}
}
