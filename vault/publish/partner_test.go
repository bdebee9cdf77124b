package publish

import (
	"errors"
	"strings"
	"testing"
)

func partnerSources(t *testing.T) []Source {
	own := source("km", loadCase(t, "kara-murza"))
	p := source("partner", loadCase(t, "partner"))
	p.Origin = testPartner
	return []Source{own, p}
}

func publishedIDs(set *Set) []string {
	var out []string
	for _, r := range set.Records {
		out = append(out, r.caseID)
	}
	return out
}

// TestPartnerCasesOnlyWhenNamed: an imported case is published only when
// named (--case) or its organisation is named (--from), only while that
// organisation is a partner, and never when quarantined.
func TestPartnerCasesOnlyWhenNamed(t *testing.T) {
	partners := []string{testPartner}
	for _, c := range []struct {
		name      string
		o         Options
		named     bool
		quar      bool
		want      string // published case IDs, in output order (by name)
		wantError string
	}{
		{name: "not named", o: Options{Partners: partners}, want: "c-km"},
		{name: "--from", o: Options{Partners: partners, From: partners}, want: "c-partner c-km"},
		{name: "--from another", o: Options{Partners: append(partners, "Other"), From: []string{"Other"}}, want: "c-km"},
		{name: "--case", o: Options{Partners: partners}, named: true, want: "c-partner c-km"},
		{name: "removed partner, --from", o: Options{From: partners}, want: "c-km"},
		{name: "removed partner, --case", o: Options{}, named: true, wantError: `case c-partner is never published: it was imported from "Crimea Rights Test", which is no longer a partner organisation`},
		{name: "quarantined, --from", o: Options{Partners: partners, From: partners}, quar: true, want: "c-km"},
		{name: "quarantined, --case", o: Options{Partners: partners}, named: true, quar: true, wantError: "case c-partner is never published: it is quarantined"},
	} {
		src := partnerSources(t)
		src[1].Named, src[1].Quarantined = c.named, c.quar
		set, err := Prepare(testOrg, src, c.o)
		if c.wantError != "" {
			var ee *ExcludedError
			if !errors.As(err, &ee) || err.Error() != c.wantError {
				t.Errorf("%s: err = %v, want %q", c.name, err, c.wantError)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := strings.Join(publishedIDs(set), " "); got != c.want {
			t.Errorf("%s: published %q, want %q", c.name, got, c.want)
		}
	}
	// A quarantined case of our own is not published either.
	src := partnerSources(t)
	src[0].Quarantined = true
	set, err := Prepare(testOrg, src[:1], Options{})
	if err != nil || len(set.Records) != 0 {
		t.Errorf("quarantined own case: %v, %d records", err, len(set.Records))
	}
}

// TestPartnerOriginShown: each entry records its origin, and every format
// shows who reported a partner's case.
func TestPartnerOriginShown(t *testing.T) {
	o := Options{Partners: []string{testPartner}, From: []string{testPartner}}
	for _, format := range Formats {
		p := build(t, partnerSources(t), format, o)
		out := allText(p)
		switch format {
		case "html":
			page := string(p.Files["cases/"+source("partner", nil).PublicID+".html"])
			if !strings.Contains(page, "Reported by Crimea Rights Test.") {
				t.Errorf("html: partner's page lacks Reported by")
			}
			own := string(p.Files["cases/"+source("km", nil).PublicID+".html"])
			if strings.Contains(own, "Reported by") {
				t.Errorf("html: our own case shows Reported by")
			}
			if !strings.Contains(string(p.Files["index.html"]), "Reported by Crimea Rights Test") {
				t.Errorf("html: index lacks Reported by")
			}
		case "md":
			if !strings.Contains(out, "- Reported by: Crimea Rights Test") || strings.Count(out, "Reported by:") != 1 {
				t.Errorf("md: Reported by missing or on our own case")
			}
		case "json":
			if !strings.Contains(out, `"origin": "Crimea Rights Test"`) || !strings.Contains(out, `"origin": "Test Defence Group"`) {
				t.Errorf("json: origins missing")
			}
		case "csv":
			if !strings.Contains(string(p.Files["cases.csv"]), ",false,Crimea Rights Test,\n") {
				t.Errorf("csv: origin column missing:\n%s", p.Files["cases.csv"])
			}
		}
	}
}
