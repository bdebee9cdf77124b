package vault

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/schema/casegen"
	"github.com/casevault/casevault/vault/internal/index"
	"github.com/casevault/casevault/vault/internal/store"
	"pgregory.net/rapid"
)

// filterCases are the cases of the filter tests, by a short name.
var filterCases = map[string]string{
	"sokolov": `person: {name: Ivan Sokolov, name_native: Иван Соколов, region: Omsk region}
charges: [{code: RU-CC, article: "207.3(2)"}, {code: RU-CC, article: "ст. 280.3 ч. 1 УК РФ"}]
detention: [{kind: colony, facility: "IK-6, Omsk region", from: 2022-05-20, conditions: [overcrowding, no-family-visits]}]
mistreatment: [{date: 2023-02-01, kind: [beating]}]
status: sentenced
publication: {consent: full}`,
	"orlova": `person: {name: Anna Orlova, region: St Petersburg}
charges: [{code: RU-CC, article: "ст. 207.3 ч.1 УК РФ"}]
detention: [{kind: pretrial, facility: "SIZO-5, St Petersburg", from: 2023-04-11}]
status: pretrial
publication: {consent: anonymous}`,
	"zaitsev": `person: {name: Aleksei Zaitsev, name_native: Алексей Зайцев, region: Москва}
charges: [{code: RU-CC, article: "275"}, {code: RU-CAO, article: "20.3.3 ч.1"}]
detention: [{kind: pretrial, facility: "СИЗО-1, Москва", from: 2021, to: 2021-12}, {kind: colony, facility: "ИК-2, Мордовия", from: 2022-01-15, conditions: [solitary-confinement]}]
mistreatment: [{date: 2022-03-01, kind: [torture, threats]}]
status: sentenced`,
	"yolkina": `person: {name: Maria Yolkina, name_native: Мария Ёлкина, region: moscow}
status: wanted`,
}

func addFilterCases(t *testing.T, v *Vault) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for name, y := range filterCases {
		doc, err := schema.Parse([]byte("schema: case.v1\n" + y + "\n"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		id, err := v.AddCase(doc)
		if err != nil {
			t.Fatal(err)
		}
		ids[id.String()] = name
	}
	return ids
}

func day(t *testing.T, d string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.DateOnly, d)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func namesOf(list []Summary, ids map[string]string) []string {
	var out []string
	for _, s := range list {
		out = append(out, ids[s.ID])
	}
	return out
}

func TestListCasesFilters(t *testing.T) {
	v := newTestVault(t)
	ids := addFilterCases(t, v)
	check := func(v *Vault) {
		t.Helper()
		for _, tc := range []struct {
			f    Filter
			want []string // by name, the default order
		}{
			{Filter{}, []string{"zaitsev", "orlova", "sokolov", "yolkina"}}, // Aleksei, Anna, Ivan, Maria
			{Filter{Status: "sentenced"}, []string{"zaitsev", "sokolov"}},
			{Filter{Status: "released"}, nil},
			{Filter{Articles: []string{"207.3"}}, []string{"orlova", "sokolov"}},
			{Filter{Articles: []string{"207.3(2)"}}, []string{"sokolov"}},
			{Filter{Articles: []string{"ч. 1 ст. 207.3"}}, []string{"orlova"}},
			{Filter{Articles: []string{"207"}}, nil},
			{Filter{Articles: []string{"20.3.3 КоАП"}}, []string{"zaitsev"}},
			{Filter{Articles: []string{"20.3.3"}}, nil}, // a Criminal Code article of that number
			{Filter{Articles: []string{"207.3", "280.3"}}, []string{"sokolov"}},
			{Filter{Region: "omsk"}, []string{"sokolov"}},
			{Filter{Region: "MOSCOW"}, []string{"yolkina"}},
			{Filter{Region: "москва"}, []string{"zaitsev"}},
			{Filter{Region: "petersburg st"}, nil},
			{Filter{Facility: "ik-6"}, []string{"sokolov"}},
			{Filter{Facility: "ИК-2"}, []string{"zaitsev"}},
			{Filter{Facility: "сизо 1"}, []string{"zaitsev"}},
			{Filter{Facility: "IK-2"}, []string{"zaitsev"}}, // Latin and Cyrillic alike
			{Filter{Consent: "full"}, []string{"sokolov"}},
			{Filter{Consent: "none"}, []string{"zaitsev", "yolkina"}},
			{Filter{Mistreatment: "threats"}, []string{"zaitsev"}},
			{Filter{Mistreatment: "sexual-violence"}, nil},
			{Filter{DetainedSince: day(t, "2022-01-01")}, []string{"orlova", "sokolov"}},
			{Filter{DetainedSince: day(t, "2021-01-01")}, []string{"zaitsev", "orlova", "sokolov"}},
			{Filter{DetainedSince: day(t, "2021-01-02")}, []string{"orlova", "sokolov"}}, // "2021" is its first day
			{Filter{UpdatedSince: time.Now().Add(-time.Hour)}, []string{"zaitsev", "orlova", "sokolov", "yolkina"}},
			{Filter{UpdatedSince: time.Now().Add(time.Hour)}, nil},
			{Filter{Org: "Beta Rights"}, nil},
			{Filter{Status: "sentenced", Articles: []string{"207.3"}}, []string{"sokolov"}},
			{Filter{Articles: []string{"207.3"}, Region: "Omsk"}, []string{"sokolov"}},
			{Filter{Articles: []string{"207.3"}, Region: "Moscow"}, nil},
			{Filter{Status: "sentenced", Mistreatment: "beating", Consent: "full", DetainedSince: day(t, "2022-05-20"), Facility: "omsk region"}, []string{"sokolov"}},
			{Filter{Sort: "detained"}, []string{"zaitsev", "sokolov", "orlova", "yolkina"}},
			{Filter{Sort: "detained", Limit: 2, Offset: 1}, []string{"sokolov", "orlova"}},
			{Filter{Limit: 1}, []string{"zaitsev"}},
			{Filter{Offset: 4}, nil},
		} {
			list, err := v.ListCases(tc.f)
			if err != nil {
				t.Fatalf("%+v: %v", tc.f, err)
			}
			if got := namesOf(list, ids); !slices.Equal(got, tc.want) {
				t.Errorf("ListCases(%+v) = %v, want %v", tc.f, got, tc.want)
			}
		}
	}
	check(v)
	// The same after the cases change: postings follow the revision.
	for id, name := range ids {
		if name != "orlova" {
			continue
		}
		cid, _ := ParseCaseID(id)
		doc, _ := schema.Parse([]byte("schema: case.v1\n" + strings.Replace(filterCases["orlova"], "207.3 ч.1", "207.3 ч.2", 1) + "\n"))
		v.opts.Now = func() time.Time { return time.Now().Add(time.Hour) }
		if _, err := v.UpdateCase(cid, doc); err != nil {
			t.Fatal(err)
		}
		list, _ := v.ListCases(Filter{Articles: []string{"207.3(2)"}})
		if got := namesOf(list, ids); !slices.Equal(got, []string{"orlova", "sokolov"}) {
			t.Errorf("after the update: %v", got)
		}
		list, _ = v.ListCases(Filter{Sort: "updated", Limit: 1})
		if got := namesOf(list, ids); !slices.Equal(got, []string{"orlova"}) {
			t.Errorf("sort updated after the update: %v", got)
		}
		v.opts.Now = nil
		if _, err := v.UpdateCase(cid, mustParse(t, "schema: case.v1\n"+filterCases["orlova"]+"\n")); err != nil {
			t.Fatal(err)
		}
	}
	check(reopen(t, v))
}

func mustParse(t *testing.T, y string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStats(t *testing.T) {
	v := newTestVault(t)
	addFilterCases(t, v)
	st, err := v.Stats(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(st)
	want := `{"total":4,` +
		`"status":[{"value":"sentenced","count":2},{"value":"pretrial","count":1},{"value":"wanted","count":1}],` +
		`"article":[{"value":"RU-CC 207.3","count":2},{"value":"RU-CAO 20.3.3","count":1},{"value":"RU-CC 275","count":1},{"value":"RU-CC 280.3","count":1},{"value":"","count":1}],` +
		`"region":[{"value":"Omsk region","count":1},{"value":"St Petersburg","count":1},{"value":"moscow","count":1},{"value":"Москва","count":1}],` +
		`"facility":[{"value":"IK-6, Omsk region","count":1},{"value":"SIZO-5, St Petersburg","count":1},{"value":"ИК-2, Мордовия","count":1},{"value":"СИЗО-1, Москва","count":1},{"value":"","count":1}],` +
		`"year":[{"value":"2021","count":1},{"value":"2022","count":1},{"value":"2023","count":1},{"value":"","count":1}],` +
		`"mistreatment":[{"value":"beating","count":1},{"value":"threats","count":1},{"value":"torture","count":1},{"value":"","count":2}],` +
		`"condition":[{"value":"no-family-visits","count":1},{"value":"overcrowding","count":1},{"value":"solitary-confinement","count":1},{"value":"","count":2}]}`
	if string(got) != want {
		t.Errorf("Stats =\n%s\nwant\n%s", got, want)
	}
	st, err = v.Stats(context.Background(), Filter{Status: "sentenced", Articles: []string{"207.3"}})
	if err != nil || st.Total != 1 || len(st.Status) != 1 || st.Status[0] != (Count{"sentenced", 1}) || st.Region[0].Value != "Omsk region" {
		t.Errorf("Stats(sentenced, 207.3) = %+v, %v", st, err)
	}
	// Spellings of one place that differ in case, ё/е or script count as
	// one (a Latin O in Orёl too).
	for _, r := range []string{"Omsk region", "omsk Region", "Orёl", "Орёл", "орел"} {
		if _, err := v.AddCase(mustParse(t, "schema: case.v1\nperson: {name: X, region: "+r+"}\n")); err != nil {
			t.Fatal(err)
		}
	}
	st, _ = v.Stats(context.Background(), Filter{})
	if st.Region[0] != (Count{"Omsk region", 3}) || !slices.Contains(st.Region, Count{"Orёl", 3}) {
		t.Errorf("regions: %+v", st.Region)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 1100 { // more than one check interval
		if _, err := v.AddCase(mustParse(t, "schema: case.v1\nperson: {name: X}\n")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.Stats(ctx, Filter{}); err == nil {
		t.Error("Stats with a cancelled context succeeded")
	}
}

// TestListCasesProperty checks on generated cases that ListCases(f) is the
// list of the cases f matches when each case's current document is looked
// at by hand, whatever the filter.
func TestListCasesProperty(t *testing.T) {
	v := newTestVault(t)
	g := casegen.New(7)
	docs := map[string]map[string]any{}
	var regions, facilities, articles []string
	for range 80 {
		m := g.Case()
		b, _ := json.Marshal(m)
		doc, err := schema.FromJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		id, err := v.AddCase(doc)
		if err != nil {
			t.Fatal(err)
		}
		docs[id.String()] = doc.Doc
		if p, ok := doc.Doc["person"].(map[string]any); ok {
			if r, ok := p["region"].(string); ok {
				regions = append(regions, r)
			}
		}
		for _, d := range asAnyList(doc.Doc["detention"]) {
			if f, ok := d.(map[string]any)["facility"].(string); ok {
				facilities = append(facilities, f)
			}
		}
		for _, c := range asAnyList(doc.Doc["charges"]) {
			a, _ := c.(map[string]any)["article"].(string)
			articles = append(articles, a, strings.SplitN(a, "(", 2)[0])
		}
	}
	articles = append(articles, "207", "1")
	nonEmpty, runs := 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		var f Filter
		if rapid.Bool().Draw(rt, "status?") {
			f.Status = rapid.SampledFrom([]string{"pretrial", "sentenced", "released", "exchanged", "deceased", "wanted", "other"}).Draw(rt, "status")
		}
		if rapid.Bool().Draw(rt, "article?") {
			f.Articles = rapid.SliceOfN(rapid.SampledFrom(articles), 1, 2).Draw(rt, "articles")
		}
		if rapid.IntRange(0, 3).Draw(rt, "region?") == 0 {
			f.Region = rapid.SampledFrom(regions).Draw(rt, "region")
		}
		if rapid.IntRange(0, 3).Draw(rt, "facility?") == 0 {
			f.Facility = strings.SplitN(rapid.SampledFrom(facilities).Draw(rt, "facility"), ",", 2)[0]
		}
		if rapid.IntRange(0, 3).Draw(rt, "consent?") == 0 {
			f.Consent = rapid.SampledFrom([]string{"full", "anonymous", "none"}).Draw(rt, "consent")
		}
		if rapid.IntRange(0, 3).Draw(rt, "mistreatment?") == 0 {
			f.Mistreatment = rapid.SampledFrom([]string{"beating", "torture", "threats", "denial-of-medical-care", "other"}).Draw(rt, "mistreatment")
		}
		if rapid.IntRange(0, 3).Draw(rt, "since?") == 0 {
			f.DetainedSince = time.Date(rapid.IntRange(2012, 2026).Draw(rt, "year"), time.Month(rapid.IntRange(1, 12).Draw(rt, "month")), 1, 0, 0, 0, 0, time.UTC)
		}
		list, err := v.ListCases(f)
		if err != nil {
			rt.Fatal(err)
		}
		var got, want []string
		for _, s := range list {
			got = append(got, s.ID)
		}
		for id, doc := range docs {
			if matchByHand(f, doc) {
				want = append(want, id)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			rt.Fatalf("ListCases(%+v): %d cases %v, by hand %d %v", f, len(got), got, len(want), want)
		}
		runs++
		if len(want) > 0 && len(want) < len(docs) {
			nonEmpty++
		}
	})
	// The filters drawn must select something, not nothing or everything.
	if nonEmpty < runs/4 {
		t.Errorf("only %d of %d filters selected some but not all cases", nonEmpty, runs)
	}
}

func asAnyList(v any) []any { l, _ := v.([]any); return l }

// matchByHand is what a filter means, read off a case document without the
// index package: the reference the property test compares ListCases with.
func matchByHand(f Filter, doc map[string]any) bool {
	str := func(m any, k string) string { s, _ := m.(map[string]any)[k].(string); return s }
	words := func(s string) string {
		s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
		return " " + strings.Join(strings.FieldsFunc(s, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'а' && r <= 'я')
		}), " ") + " "
	}
	if f.Status != "" && doc["status"] != f.Status {
		return false
	}
	for _, a := range f.Articles {
		want, _ := schema.NormalizeArticle(a)
		found := false
		for _, c := range asAnyList(doc["charges"]) {
			n, ok := schema.NormalizeCharge(str(c, "code"), str(c, "article"))
			found = found || ok && (n == want || strings.HasPrefix(n, want+"("))
		}
		if !found {
			return false
		}
	}
	if f.Region != "" && !strings.Contains(words(str(doc["person"], "region")), words(f.Region)) {
		return false
	}
	if f.Facility != "" && !slices.ContainsFunc(asAnyList(doc["detention"]), func(d any) bool {
		return strings.Contains(words(str(d, "facility")), words(f.Facility))
	}) {
		return false
	}
	if f.Consent != "" {
		c := str(doc["publication"], "consent")
		if c == "" {
			c = "none"
		}
		if c != f.Consent {
			return false
		}
	}
	if f.Mistreatment != "" && !slices.ContainsFunc(asAnyList(doc["mistreatment"]), func(m any) bool {
		return slices.Contains(asAnyList(m.(map[string]any)["kind"]), any(f.Mistreatment))
	}) {
		return false
	}
	if !f.DetainedSince.IsZero() {
		first := ""
		for _, d := range asAnyList(doc["detention"]) {
			if from := str(d, "from"); from != "" && (first == "" || from < first) {
				first = from
			}
		}
		if first == "" || (first + "-01-01")[:10] < f.DetainedSince.Format(time.DateOnly) {
			return false
		}
	}
	return true
}

// TestPreviousVaultFilters opens the fixture of the previous version,
// whose summaries are of version 2 without the fields filters read: read
// only it answers from the case documents; the first read-write open
// migrates the summaries and adds the postings; both give the same lists.
func TestPreviousVaultFilters(t *testing.T) {
	dir, _, u := previousVault(t)
	type q struct {
		f    Filter
		want []string
	}
	queries := []q{
		{Filter{Consent: "full"}, []string{prevCase1}},
		{Filter{Status: "sentenced", Consent: "full"}, []string{prevCase1}},
		{Filter{Org: "beta rights"}, nil}, // filled in below
		{Filter{Mistreatment: "beating"}, nil},
		{Filter{Articles: []string{"207.3"}}, nil},
	}
	check := func(v *Vault, what string) {
		t.Helper()
		for i, qq := range queries {
			list, err := v.ListCases(qq.f)
			if err != nil {
				t.Fatalf("%s: ListCases(%+v): %v", what, qq.f, err)
			}
			var got []string
			for _, s := range list {
				got = append(got, s.ID)
			}
			slices.Sort(got)
			if qq.f.Org != "" && qq.want == nil && what == "read-only" {
				if len(got) == 0 || !slices.Contains(got, prevQuarantined) {
					t.Fatalf("%s: --org lists %v", what, got)
				}
				queries[i].want = got
				continue
			}
			if !slices.Equal(got, qq.want) {
				t.Errorf("%s: ListCases(%+v) = %v, want %v", what, qq.f, got, qq.want)
			}
		}
		st, err := v.Stats(context.Background(), Filter{})
		if err != nil || st.Total != 5 || !slices.Equal(st.Status, []Count{{"pretrial", 4}, {"sentenced", 1}}) || !slices.Equal(st.Mistreatment, []Count{{"", 5}}) {
			t.Errorf("%s: Stats = %+v, %v", what, st, err)
		}
	}
	versions := func(v *Vault) map[byte]int {
		out := map[byte]int{}
		if err := v.view(func(txn *store.Txn) error {
			return eachKey(txn, []byte{pSummary}, true, func(k []byte, item *store.Item) error {
				return item.Value(func(sealed []byte) error {
					pt, err := openRecord(k, v.keys.index, sealed)
					out[index.SummaryVersion(pt)]++
					return err
				})
			})
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}

	ro, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if vs := versions(ro); vs[index.CurrentSummaryVersion] != 0 {
		t.Fatalf("the fixture already has current summaries: %v", vs)
	}
	check(ro, "read-only")
	ro.Close()

	// A migration cut short after its first batch of two: readers still
	// answer from the documents, and the next open goes on.
	migrateAtOpen, migrateBatch = false, 2
	rw, err := Open(dir, u, Options{Author: "tester"})
	if err == nil {
		_, err = rw.migrateSummaryBatch([]byte{pSummary})
	}
	migrateAtOpen, migrateBatch = true, 500
	if err != nil {
		t.Fatal(err)
	}
	if vs := versions(rw); vs[index.CurrentSummaryVersion] != 2 {
		t.Fatalf("summary versions after one batch: %v", vs)
	}
	check(rw, "half migrated")
	rw.Close()
	ro, err = Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	check(ro, "half migrated, read-only")
	ro.Close()

	v, err := Open(dir, u, Options{Author: "tester"})
	if err != nil {
		t.Fatalf("read-write open of the previous vault: %v", err)
	}
	if vs := versions(v); len(vs) != 1 || vs[index.CurrentSummaryVersion] != 5 {
		t.Errorf("summary versions after the migration: %v", vs)
	}
	check(v, "migrated")
	// The new postings are there: an article filter is a posting lookup.
	var hasPostings bool
	v.view(func(txn *store.Txn) error {
		ids, err := v.postings(txn, index.ConsentToken("full"))
		hasPostings = err == nil && len(ids) == 1 && ids[0].String() == prevCase1
		return nil
	})
	if !hasPostings {
		t.Error("no consent posting after the migration")
	}
	// New cases and changes on the migrated vault.
	id, err := v.AddCase(mustParse(t, "schema: case.v1\nperson: {name: New}\ncharges: [{article: 207.3(2)}]\nstatus: pretrial\n"))
	if err != nil {
		t.Fatal(err)
	}
	queries[4].want = []string{id.String()}
	v.Close()
	v, err = Open(dir, u, Options{Author: "tester"}) // migrated: nothing to do
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if vs := versions(v); len(vs) != 1 {
		t.Errorf("summary versions: %v", vs)
	}
	list, err := v.ListCases(Filter{Articles: []string{"207.3"}})
	if err != nil || len(list) != 1 || list[0].ID != id.String() {
		t.Errorf("article filter after migration: %+v, %v", list, err)
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Errorf("check after the migration: %+v, %v", rep, err)
	}
}

// TestCheckSummaryFilterFields: a summary whose filter fields disagree
// with the case (here a region that is not the case's) is reported by
// check and rewritten by --repair; filters answer from the summary, so
// that is what keeps them right.
func TestCheckSummaryFilterFields(t *testing.T) {
	v := newTestVault(t)
	ids := addFilterCases(t, v)
	var id CaseID
	for s, name := range ids {
		if name == "sokolov" {
			id, _ = ParseCaseID(s)
		}
	}
	cur, err := v.Case(id)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := cur.Case()
	bad := caseSummary(id, doc, cur)
	bad.Region = "Moscow"
	rawUpdate(t, v, func(txn *store.Txn) error {
		k := summaryKey(id)
		return txn.Set(k, sealForTest(v, k, index.EncodeSummary(bad)))
	})
	regionOf := func() string {
		list, _ := v.ListCases(Filter{Mistreatment: "beating"})
		if len(list) != 1 {
			t.Fatalf("%d cases with beating", len(list))
		}
		return list[0].Region
	}
	if r := regionOf(); r != "Moscow" {
		t.Fatalf("the planted region is not read: %q", r)
	}
	wantProblems(t, runCheck(t, v, CheckOptions{}), "index (case "+id.String()+"): summary does not match the current revision")
	runCheck(t, v, CheckOptions{Repair: true})
	if r := regionOf(); r != "Omsk region" {
		t.Errorf("region after repair: %q", r)
	}
	if list, _ := v.ListCases(Filter{Region: "moscow"}); len(list) != 1 || list[0].Name != "Maria Yolkina" {
		t.Errorf("after repair: %+v", list)
	}
}

func sealForTest(v *Vault, k, pt []byte) []byte {
	return crypto.Seal(v.keys.index, pt, recordAD(k))
}

// TestFilterHits: the narrowing of a text query's hits that Search uses.
func TestFilterHits(t *testing.T) {
	v := newTestVault(t)
	ids := addFilterCases(t, v)
	var all []CaseID
	for s := range ids {
		id, _ := ParseCaseID(s)
		all = append(all, id)
	}
	all = index.SortIDs(all)
	for _, tc := range []struct {
		hits []CaseID
		f    Filter
		want []string
	}{
		{all, Filter{Articles: []string{"207.3"}}, []string{"orlova", "sokolov"}},
		{all[:0], Filter{}, nil},
		{all, Filter{Status: "sentenced", Sort: "detained", Limit: 1}, []string{"zaitsev"}},
	} {
		var got []Summary
		err := v.view(func(txn *store.Txn) error {
			var err error
			got, err = v.filterHits(txn, tc.hits, tc.f)
			return err
		})
		if err != nil || !slices.Equal(namesOf(got, ids), tc.want) {
			t.Errorf("filterHits(%+v) = %v, %v; want %v", tc.f, namesOf(got, ids), err, tc.want)
		}
	}
}
