package publish

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// crowdCase is a case that an anonymous case can hide among.
func crowdCase(t testing.TB, name, gender, article, region, detained, verdict string, citizenship string) string {
	return fmt.Sprintf(`schema: case.v1
person:
  name: %q
  gender: %s
  citizenship: [%s]
  region: %q
charges:
  - code: RU-CC
    article: %q
detention:
  - kind: pretrial
    facility: "SIZO-1"
    from: %s
proceedings:
  verdict_date: %s
status: sentenced
publication:
  consent: none
`, name, gender, citizenship, region, article, detained, verdict)
}

func anonCase(t testing.TB, detained, verdict, citizenship string) string {
	return strings.Replace(crowdCase(t, "Hidden Person", "female", "207.3(2)", "Omsk", detained, verdict, citizenship),
		"consent: none", "consent: anonymous\n  summary: \"A woman held for her posts.\"", 1)
}

// anonRecord prepares sources with k and returns the anonymous record.
func anonRecord(t *testing.T, k int, yamls ...string) (*Record, error) {
	t.Helper()
	var src []Source
	for i, y := range yamls {
		src = append(src, source(fmt.Sprint("k", i), parseCase(t, y)))
	}
	set, err := Prepare(testOrg, src, Options{K: k})
	if err != nil {
		return nil, err
	}
	for _, r := range set.Records {
		if r.Anonymous {
			return r, nil
		}
	}
	t.Fatal("no anonymous record")
	return nil, nil
}

var fullDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// TestAnonymousDatesCoarsened: the page of the reported anonymous case
// showed "Verdict: 2020-09-16" and "Citizenship: RU, UA". No date of an
// anonymous case keeps its day, in any format, and with the fixtures'
// crowd (k = 3) the dual citizenship is withheld and dates go to the year.
func TestAnonymousDatesCoarsened(t *testing.T) {
	var src []Source
	for _, s := range fixtureSources(t) {
		if s.CaseID != "c-kara-murza" && s.CaseID != "c-partner" { // their own dates and citizenship
			src = append(src, s)
		}
	}
	for _, format := range Formats {
		p := build(t, src, format, fixtureOptions)
		for path, b := range p.Files {
			out := string(b)
			for _, never := range []string{"2023-09-16", "2023-09", "2023-04-28", "2023-04", "2023-05-02", "2023-06-10", "RU, UA", "RU; UA", `"UA"`, "Omsk Regional", "SIZO-1"} {
				if strings.Contains(out, never) {
					t.Errorf("%s %s: contains %q of the anonymous case", format, path, never)
				}
			}
		}
		if format == "html" {
			page := string(p.Files["cases/"+source("anonymous", nil).PublicID+".html"])
			if m := fullDate.FindString(page); m != "" {
				t.Errorf("anonymous page shows the full date %s", m)
			}
			for _, want := range []string{"<dt>Verdict</dt><dd>2023</dd>", "Siberian Federal District", "threats"} {
				if !strings.Contains(page, want) {
					t.Errorf("anonymous page lacks %q", want)
				}
			}
		}
	}
	// Without the check (k = 1) dates are cut to the month, never the day.
	r, err := anonRecord(t, 1, anonCase(t, "2023-04-28", "2023-09-16", "RU, UA"))
	if err != nil {
		t.Fatal(err)
	}
	if r.VerdictDate != "2023-09" || r.FirstDetentionDate != "2023-04" || r.Detention[0].From != "2023-04" {
		t.Errorf("k=1: verdict %q, detention %q/%q, want months", r.VerdictDate, r.FirstDetentionDate, r.Detention[0].From)
	}
}

// TestKAnonymity walks the coarsening steps: month kept when k cases share
// it, year when only the year is shared, citizenship withheld when it is
// rare, refusal when nothing is enough.
func TestKAnonymity(t *testing.T) {
	me := anonCase(t, "2023-04-28", "2023-09-16", "RU")
	sameMonth1 := crowdCase(t, "Vera Kuznetsova", "female", "207.3(2)", "Novosibirsk", "2023-04-03", "2023-09-01", "RU")
	sameMonth2 := crowdCase(t, "Oksana Belova", "female", "207.3(2)", "Tomsk", "2023-04-20", "2023-09-30", "RU")
	sameYear := crowdCase(t, "Olga Sidorova", "female", "207.3(2)", "Omsk", "2023-11-03", "2024-02-01", "RU")
	otherArticle := crowdCase(t, "Irina Orlova", "female", "280.3(1)", "Omsk", "2023-04-03", "2023-09-01", "RU")
	man := crowdCase(t, "Ivan Orlov", "male", "207.3(2)", "Omsk", "2023-04-03", "2023-09-01", "RU")
	moscow := crowdCase(t, "Nina Petrova", "female", "207.3(2)", "Moscow", "2023-04-03", "2023-09-01", "RU")

	r, err := anonRecord(t, 3, me, sameMonth1, sameMonth2, otherArticle, man)
	if err != nil {
		t.Fatal(err)
	}
	if r.FirstDetentionDate != "2023-04" || r.VerdictDate != "2023-09" || r.FederalDistrict != "Siberian Federal District" || strings.Join(r.Citizenship, ",") != "RU" {
		t.Errorf("three alike: %+v, want month, district and citizenship kept", r)
	}

	r, err = anonRecord(t, 3, me, sameMonth1, sameYear, otherArticle, man)
	if err != nil {
		t.Fatal(err)
	}
	if r.FirstDetentionDate != "2023" || r.VerdictDate != "2023" || r.FederalDistrict == "" {
		t.Errorf("two in the month, three in the year: %+v, want years", r)
	}

	// A dual citizenship no one else has is withheld.
	dual := anonCase(t, "2023-04-28", "2023-09-16", "RU, UA")
	r, err = anonRecord(t, 3, dual, sameMonth1, sameMonth2)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Citizenship) != 0 || r.FirstDetentionDate != "2023-04" {
		t.Errorf("dual citizenship: %+v, want it withheld and the month kept", r)
	}

	// Another district: the district goes.
	r, err = anonRecord(t, 3, me, sameMonth1, moscow)
	if err != nil {
		t.Fatal(err)
	}
	if r.FederalDistrict != "" {
		t.Errorf("district %q kept although only two cases share it", r.FederalDistrict)
	}

	// Nothing is enough: refused, with the reason.
	_, err = anonRecord(t, 3, me, otherArticle, man)
	var ae *AnonymityError
	if !errors.As(err, &ae) || len(ae.Problems) != 1 || ae.Problems[0].Shared != 1 || ae.K != 3 {
		t.Fatalf("err = %v, want an AnonymityError for one case shared by 1", err)
	}
	for _, want := range []string{"publication refused", "k = 3", "case c-k0", "gender female", "articles RU-CC 207.3(2)", "nothing was written"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "Hidden Person") || strings.Contains(err.Error(), "Omsk") {
		t.Errorf("error names the person or region: %v", err)
	}
	// The same with k = 2: the man or the other article is not enough,
	// but k = 1 turns the check off.
	if _, err := anonRecord(t, 2, me, otherArticle, man); !errors.As(err, &ae) {
		t.Errorf("k=2: err = %v", err)
	}
	if _, err := anonRecord(t, 1, me); err != nil {
		t.Errorf("k=1: %v", err)
	}
	if _, err := Prepare(testOrg, nil, Options{K: -1}); err == nil {
		t.Error("k = -1 accepted")
	}
}

// TestKAnonymityRareMonth: a date kind whose month few cases share is cut
// to the year even when the first detention month is kept.
func TestKAnonymityRareMonth(t *testing.T) {
	me := anonCase(t, "2023-04-28", "2023-12-16", "RU")
	a := crowdCase(t, "Vera Kuznetsova", "female", "207.3(2)", "Novosibirsk", "2023-04-03", "2023-09-01", "RU")
	b := crowdCase(t, "Oksana Belova", "female", "207.3(2)", "Tomsk", "2023-04-20", "2023-10-30", "RU")
	r, err := anonRecord(t, 3, me, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if r.FirstDetentionDate != "2023-04" || r.VerdictDate != "2023" {
		t.Errorf("detention %q, verdict %q: want the shared month kept and the rare one cut to the year", r.FirstDetentionDate, r.VerdictDate)
	}
}

// TestKAnonymityIgnoresUnpublishedPartnerCases: a partner could plant
// invented cases to make an anonymous case look common; imported cases
// count only when they are published.
func TestKAnonymityIgnoresUnpublishedPartnerCases(t *testing.T) {
	me := source("me", parseCase(t, anonCase(t, "2023-04-28", "2023-09-16", "RU")))
	var src = []Source{me}
	for i := range 5 {
		s := source(fmt.Sprint("planted", i), parseCase(t, crowdCase(t, fmt.Sprint("Planted Person", i), "female", "207.3(2)", "Omsk", "2023-04-03", "2023-09-01", "RU")))
		s.Origin = testPartner
		src = append(src, s)
	}
	_, err := Prepare(testOrg, src, Options{K: 3, Partners: []string{testPartner}})
	var ae *AnonymityError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v: a partner's unpublished cases counted as the crowd", err)
	}
}

func TestFederalDistrict(t *testing.T) {
	for region, want := range map[string]string{
		"Omsk": "Siberian Federal District", "Omsk region": "Siberian Federal District", "Омская область": "Siberian Federal District",
		"Moscow": "Central Federal District", "г. Москва": "Central Federal District", "Moscow Oblast": "Central Federal District",
		"Republic of Crimea": "Southern Federal District", "Республика Крым": "Southern Federal District", "Sevastopol": "Southern Federal District",
		"St. Petersburg": "Northwestern Federal District", "Санкт-Петербург": "Northwestern Federal District",
		"Nizhny Novgorod": "Volga Federal District", "Novgorod region": "Northwestern Federal District",
		"Chechen Republic": "North Caucasian Federal District", "Khanty-Mansi Autonomous Okrug – Yugra": "Ural Federal District",
		"Republic of Buryatia": "Far Eastern Federal District", "Zabaykalsky Krai": "Far Eastern Federal District",
		"Kherson region": "Southern Federal District", "Bashkortostan": "Volga Federal District",
		"Berlin": "", "": "", "IK-6": "",
	} {
		if got := FederalDistrict(region); got != want {
			t.Errorf("FederalDistrict(%q) = %q, want %q", region, got, want)
		}
	}
	n := 0
	for _, d := range federalDistricts {
		n += len(d.regions)
	}
	if len(federalDistricts) != 8 || n != 89 {
		t.Errorf("%d districts, %d regions; want 8 and 89 (83 regions, Crimea, Sevastopol and four occupied regions)", len(federalDistricts), n)
	}
}

// TestAnonymousDatesInText: a date written in the summary of an anonymous
// case is cut like its date fields; the appeal (free text naming the court
// and its date) is left out.
func TestAnonymousDatesInText(t *testing.T) {
	c := parseCase(t, anonCase(t, "2023-04-28", "2023-09-16", "RU"))
	c = setField(t, c, "publication.summary", "Sentenced on 2023-09-16 (16.09.2023, 16 September 2023, 16 сентября 2023); article 207.3 part 2, 5 years.")
	c = setField(t, c, "proceedings.appeal", "Upheld by the appeal court on 2023-12-01.")
	src := []Source{source("me", c)}
	set, err := Prepare(testOrg, src, Options{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := set.Records[0]
	if want := "Sentenced on 2023-09 (2023-09, September 2023, сентября 2023); article 207.3 part 2, 5 years."; r.Summary != want {
		t.Errorf("k=1 summary %q, want %q", r.Summary, want)
	}
	if r.Appeal != "" {
		t.Errorf("appeal %q kept", r.Appeal)
	}
	// Alone with k = 3 it is refused; with a crowd that shares only the
	// year, the text goes to the year too.
	a := crowdCase(t, "Vera Kuznetsova", "female", "207.3(2)", "Novosibirsk", "2023-02-03", "2023-09-01", "RU")
	b := crowdCase(t, "Oksana Belova", "female", "207.3(2)", "Tomsk", "2023-11-20", "2023-10-30", "RU")
	src = append(src, source("a", parseCase(t, a)), source("b", parseCase(t, b)))
	set, err = Prepare(testOrg, src, Options{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Sentenced on 2023 (2023, 2023, 2023); article 207.3 part 2, 5 years."; set.Records[0].Summary != want {
		t.Errorf("k=3 summary %q, want %q", set.Records[0].Summary, want)
	}
	// A full-consent case keeps its dates.
	full := setField(t, loadCase(t, "kara-murza"), "publication.summary", "Sentenced on 2023-04-17.")
	set, _ = Prepare(testOrg, []Source{source("km", full)}, Options{})
	if set.Records[0].Summary != "Sentenced on 2023-04-17." {
		t.Errorf("full consent summary changed: %q", set.Records[0].Summary)
	}
}

// TestKAnonymityUsesWhatIsShown: a detail the case hides by an override
// does not narrow its crowd, and "unknown" gender says nothing.
func TestKAnonymityUsesWhatIsShown(t *testing.T) {
	me := anonCase(t, "2023-04-28", "2023-09-16", "RU")
	me = strings.Replace(me, "gender: female", "gender: unknown", 1)
	me += "sensitivity_overrides:\n  person.region: confidential\n  person.citizenship: confidential\n"
	a := crowdCase(t, "Ivan Orlov", "male", "207.3(2)", "Moscow", "2023-04-03", "2023-09-01", "RU, BY")
	b := crowdCase(t, "Nina Petrova", "female", "207.3(2)", "Kaliningrad", "2023-04-20", "2023-09-30", "UA")
	r, err := anonRecord(t, 3, me, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if r.FirstDetentionDate != "2023-04" || r.FederalDistrict != "" || len(r.Citizenship) != 0 {
		t.Errorf("%+v: want the month kept, no district and no citizenship shown", r)
	}
}
