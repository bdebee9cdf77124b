package index

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/casevault/casevault/schema"
)

func testCase(t *testing.T, yaml string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const caseKM = `schema: case.v1
person: {name: Ivan Sokolov, name_native: Иван Соколов, region: Омская область}
charges:
  - {code: RU-CC, article: "ст. 207.3 ч. 2 УК РФ"}
  - {code: RU-CC, article: "105(2)(а)"}
  - {code: other, article: "treason"}
detention:
  - {kind: pretrial, facility: "СИЗО-1, Омск", from: 2022-05-20, to: 2023-01-10, conditions: [overcrowding]}
  - {kind: colony, facility: "IK-6, Omsk region", from: 2023-01, conditions: [solitary-confinement, overcrowding]}
mistreatment:
  - {date: 2023-02-01, kind: [beating, threats]}
  - {date: 2023-03-01, kind: [beating]}
status: sentenced
publication: {consent: anonymous}
`

func TestSummaryOf(t *testing.T) {
	s := SummaryOf("cabcdefghijklmnop", testCase(t, caseKM), 2, time.Unix(1700000000, 0).UTC(), "Beta")
	want := Summary{ID: "cabcdefghijklmnop", Name: "Ivan Sokolov", NameNative: "Иван Соколов", Status: "sentenced", Rev: 2,
		Updated: time.Unix(1700000000, 0).UTC(), Origin: "Beta", Region: "Омская область", Consent: "anonymous",
		Articles:      []string{"RU-CC 105(2)(а)", "RU-CC 207.3(2)", "other: treason"},
		Facilities:    []string{"СИЗО-1, Омск", "IK-6, Omsk region"},
		FirstDetained: "2022-05-20", Mistreatment: []string{"beating", "threats"},
		Conditions: []string{"overcrowding", "solitary-confinement"}, complete: true}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("SummaryOf =\n%+v\nwant\n%+v", s, want)
	}
	if s.DetainedYear() != "2022" {
		t.Errorf("DetainedYear = %q", s.DetainedYear())
	}
	var got Summary
	if err := DecodeSummary(EncodeSummary(s), &got); err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("version 3 round trip: %+v, %v", got, err)
	}
	// A version 2 record still decodes, without the new fields.
	if err := DecodeSummary(encodeSummaryV2(s), &got); err != nil || got.Complete() || got.Name != s.Name || got.Origin != "Beta" || got.Articles != nil {
		t.Fatalf("version 2 record: %+v, %v", got, err)
	}
	b := EncodeSummary(s)
	for i := range len(b) - 1 {
		if err := DecodeSummary(b[:i], &got); err == nil {
			t.Fatalf("truncated version 3 summary of %d bytes decoded", i)
		}
	}
	if SummaryVersion(b) != CurrentSummaryVersion || SummaryVersion(encodeSummaryV2(s)) != 2 || SummaryVersion([]byte(`{}`)) != 0 {
		t.Error("SummaryVersion")
	}
}

func TestFilterMatch(t *testing.T) {
	s := SummaryOf("cabcdefghijklmnop", testCase(t, caseKM), 2, time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), "Beta Rights")
	day := func(d string) time.Time { t, _ := time.Parse(time.DateOnly, d); return t }
	for _, tc := range []struct {
		f    Filter
		want bool
	}{
		{Filter{}, true},
		{Filter{Status: "sentenced"}, true},
		{Filter{Status: "pretrial"}, false},
		{Filter{Articles: []string{"207.3"}}, true},
		{Filter{Articles: []string{"207.3(2)"}}, true},
		{Filter{Articles: []string{"ст. 207.3 ч.2"}}, true},
		{Filter{Articles: []string{"207.3 ч.1"}}, false},
		{Filter{Articles: []string{"207"}}, false},
		{Filter{Articles: []string{"20"}}, false},
		{Filter{Articles: []string{"105"}}, true},
		{Filter{Articles: []string{"105(2)"}}, true},
		{Filter{Articles: []string{"207.3", "105"}}, true},
		{Filter{Articles: []string{"207.3", "280.3"}}, false},
		{Filter{Articles: []string{"207.3 КоАП"}}, false},
		{Filter{Region: "омская"}, true},
		{Filter{Region: "ОМСКАЯ ОБЛАСТЬ"}, true},
		{Filter{Region: "область омская"}, false},
		{Filter{Region: "Moscow"}, false},
		{Filter{Facility: "ik-6"}, true},
		{Filter{Facility: "IK 6"}, true},
		{Filter{Facility: "сизо-1"}, true},
		{Filter{Facility: "IK-16"}, false},
		{Filter{Facility: "6"}, true},
		{Filter{Consent: "anonymous"}, true},
		{Filter{Consent: "full"}, false},
		{Filter{Consent: "none"}, false},
		{Filter{Mistreatment: "threats"}, true},
		{Filter{Mistreatment: "torture"}, false},
		{Filter{Org: "beta rights"}, true},
		{Filter{Org: "Beta"}, false},
		{Filter{DetainedSince: day("2022-05-20")}, true},
		{Filter{DetainedSince: day("2022-05-21")}, false},
		{Filter{UpdatedSince: day("2025-03-01")}, true},
		{Filter{UpdatedSince: day("2025-03-02")}, false},
		{Filter{Status: "sentenced", Articles: []string{"207.3"}, Region: "омская", Mistreatment: "beating", DetainedSince: day("2020-01-01")}, true},
		{Filter{Status: "sentenced", Articles: []string{"207.3"}, Region: "Moscow"}, false},
	} {
		if got := tc.f.Match(s); got != tc.want {
			t.Errorf("%+v.Match = %v, want %v", tc.f, got, tc.want)
		}
		// What matches is indexed under every token the filter asks for.
		if tc.want {
			toks := CaseTokens(testCase(t, caseKM), nil)
			for _, tok := range tc.f.Tokens() {
				if _, ok := toks[tok]; !ok {
					t.Errorf("%+v matches, but the case has no token %q (has %q)", tc.f, tok, toks.Sorted())
				}
			}
		}
	}
	// A case without consent is never published: consent none.
	noConsent := SummaryOf("c", testCase(t, "schema: case.v1\nperson: {name: A}\n"), 1, time.Time{}, "")
	if !(Filter{Consent: "none"}).Match(noConsent) || (Filter{Consent: "full"}).Match(noConsent) || (Filter{DetainedSince: day("2000-01-01")}).Match(noConsent) {
		t.Error("a case without consent or detention")
	}
	if _, ok := CaseTokens(testCase(t, "schema: case.v1\nperson: {name: A}\n"), nil)[ConsentToken("none")]; !ok {
		t.Error("a case without consent has no token consent:none")
	}
}

func TestArticleTokens(t *testing.T) {
	toks := FilterTokens(testCase(t, caseKM))
	for _, want := range []string{"status:sentenced", "article:RU-CC 207.3", "article:RU-CC 207.3(2)", "article:RU-CC 105", "article:RU-CC 105(2)", "article:RU-CC 105(2)(а)", "consent:anonymous", "mistreatment:beating", "mistreatment:threats"} {
		if !slices.Contains(toks, want) {
			t.Errorf("FilterTokens lacks %q: %q", want, toks)
		}
	}
	for _, tok := range toks {
		if tok == "article:RU-CC 207" || tok == "article:other: treason" {
			t.Errorf("FilterTokens has %q", tok)
		}
	}
}

func TestSortAndPage(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	list := []Summary{
		{ID: "c1", Name: "Boris", Updated: at(3), FirstDetained: "2023"},
		{ID: "c2", Name: "anna", Updated: at(1)},
		{ID: "c3", Name: "Vera", Updated: at(2), FirstDetained: "2021-05-01"},
	}
	ids := func(s []Summary) (out []string) {
		for _, x := range s {
			out = append(out, x.ID)
		}
		return out
	}
	for _, tc := range []struct {
		f    Filter
		want []string
	}{
		{Filter{}, []string{"c2", "c1", "c3"}},
		{Filter{Sort: SortUpdated}, []string{"c1", "c3", "c2"}},
		{Filter{Sort: SortDetained}, []string{"c3", "c1", "c2"}},
		{Filter{Limit: 2}, []string{"c2", "c1"}},
		{Filter{Offset: 1, Limit: 1}, []string{"c1"}},
		{Filter{Offset: 3}, nil},
	} {
		if got := ids(SortAndPage(slices.Clone(list), tc.f)); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.f, got, tc.want)
		}
	}
}
