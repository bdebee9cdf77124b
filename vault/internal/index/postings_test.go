package index

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/store"
	"pgregory.net/rapid"
)

func TestPostingKeys(t *testing.T) {
	key := crypto.DeriveKey(crypto.Key{1}, "index")
	mac := TokenMAC(key, "иван")
	if len(mac) != MACLen || bytes.Equal(mac, TokenMAC(key, "ivan")) || bytes.Equal(mac, TokenMAC(crypto.DeriveKey(crypto.Key{2}, "index"), "иван")) {
		t.Fatalf("token MACs do not tell tokens or keys apart")
	}
	var c TokenCache
	defer c.Release()
	if !bytes.Equal(c.MAC(nil, key, "иван"), mac) {
		t.Fatal("cached MAC differs")
	}
	other := crypto.DeriveKey(crypto.Key{3}, "index")
	if !bytes.Equal(c.MAC(nil, other, "иван"), TokenMAC(other, "иван")) {
		t.Fatal("cache kept a MAC made under the previous key")
	}
	id := ids.NewCaseID()
	k := PostingKey(mac, id)
	if k[0] != store.PPosting || !bytes.HasPrefix(k, PostingPrefix(mac)) || len(k) != 1+MACLen+ids.Len || !bytes.Equal(k[1+MACLen:], id[:]) {
		t.Fatalf("posting key %x", k)
	}
}

func TestPostingGroups(t *testing.T) {
	var f1, f2 FieldSet
	f1.Add(2)
	f2.Add(0)
	f2.Add(70)
	if single := EncodePosting(f1, nil); len(single) != 2 {
		t.Fatalf("a single posting in one field takes %d bytes", len(single))
	}
	if fs, err := DecodeSingle(EncodePosting(f2, nil)); err != nil || fs != f2 {
		t.Fatalf("DecodeSingle = %v, %v", fs, err)
	}
	if _, err := DecodeSingle(EncodePosting(f1, []Entry{{ids.NewCaseID(), f2}})); !errors.Is(err, ErrBadGroup) {
		t.Fatalf("a format 2 group value read as a single posting: %v", err)
	}
	cases := []ids.CaseID{ids.NewCaseID(), ids.NewCaseID(), ids.NewCaseID()}
	groups := map[string][]Entry{
		"mac1____": {{cases[0], f1}, {cases[1], f1}, {cases[2], f2}},
		"mac2____": {{cases[2], f1}},
	}
	recs := map[string][]byte{}
	tid := TableID{9}
	if err := GroupRecords(groups, tid, func(k, v []byte) error { recs[string(k)] = v; return nil }); err != nil {
		t.Fatal(err)
	}
	tab := recs[string(TableKey(tid))]
	if len(recs) != 3 || CheckTable(tab) != nil || len(tab) != 3*ids.Len {
		t.Fatalf("records %d, table %x", len(recs), tab)
	}
	for mac, want := range groups {
		val := recs[string(GroupKey([]byte(mac), tid))]
		got, err := DecodeGroup(nil, tab, val)
		want = SortEntries(slices.Clone(want))
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("group %s = %v, %v; want %v", mac, got, err, want)
		}
		for i := range len(val) {
			if got, err := DecodeGroup(nil, tab, val[:i]); err == nil && slices.Equal(got, want) {
				t.Fatalf("group cut to %d bytes decoded whole", i)
			}
		}
		if _, err := DecodeGroup(nil, tab[:ids.Len], val); mac == "mac1____" && !errors.Is(err, ErrBadGroup) {
			t.Fatalf("a group numbering cases past its table: %v", err)
		}
	}
	// mac1: one byte of common fields, one byte per case with them, one
	// and four for the case with its own two fields.
	if v := recs[string(GroupKey([]byte("mac1____"), tid))]; len(v) != 1+1+1+(1+4) {
		t.Fatalf("group of three cases takes %d bytes: %x", len(v), v)
	}
	for i, id := range cases {
		if pos, ok := TableIndex(tab, id); !ok || !bytes.Equal(tab[pos*ids.Len:(pos+1)*ids.Len], id[:]) {
			t.Fatalf("TableIndex(case %d) = %d, %v", i, pos, ok)
		}
	}
	if _, ok := TableIndex(tab, ids.NewCaseID()); ok {
		t.Fatal("TableIndex found a case not in the table")
	}
	if CheckTable(append(slices.Clone(tab[ids.Len:]), tab[:ids.Len]...)) == nil && bytes.Compare(tab[:ids.Len], tab[ids.Len:2*ids.Len]) < 0 {
		t.Fatal("an unsorted table passed")
	}
}

// Arbitrary posting groups decode to what was encoded: every case once,
// in table order, with its fields.
func TestPostingGroupsRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 300).Draw(t, "cases")
		cases := make([]ids.CaseID, n)
		for i := range cases {
			copy(cases[i][:], rapid.SliceOfN(rapid.Byte(), ids.Len, ids.Len).Draw(t, "id"))
		}
		groups := map[string][]Entry{}
		for _, mac := range rapid.SliceOfNDistinct(rapid.Map(rapid.SliceOfN(rapid.Byte(), MACLen, MACLen), func(b []byte) string { return string(b) }), 1, 20, rapid.ID[string]).Draw(t, "macs") {
			for _, i := range rapid.SliceOfNDistinct(rapid.IntRange(0, n-1), 1, n, rapid.ID[int]).Draw(t, "members") {
				var fs FieldSet
				for _, f := range rapid.SliceOfN(rapid.IntRange(0, maxFields-1), 0, 3).Draw(t, "fields") {
					fs.Add(f)
				}
				groups[mac] = append(groups[mac], Entry{cases[i], fs})
			}
		}
		recs := map[string][]byte{}
		if err := GroupRecords(groups, TableID{1}, func(k, v []byte) error { recs[string(k)] = v; return nil }); err != nil {
			t.Fatal(err)
		}
		tab := recs[string(TableKey(TableID{1}))]
		if err := CheckTable(tab); err != nil {
			t.Fatal(err)
		}
		for mac, es := range groups {
			got, err := DecodeGroup(nil, tab, recs[string(GroupKey([]byte(mac), TableID{1}))])
			if want := SortEntries(slices.Clone(es)); err != nil || !slices.Equal(got, want) {
				t.Fatalf("group %q = %v, %v; want %v", mac, got, err, want)
			}
		}
	})
}

func TestQuery(t *testing.T) {
	if _, err := ParseQuery(" -- ! "); !errors.Is(err, ErrEmptyQuery) {
		t.Fatalf("empty query: %v", err)
	}
	for _, short := range []string{"во*", "a*", "*", "Ив* петров"} {
		if _, err := ParseQuery(short); !errors.Is(err, ErrShortPrefix) {
			t.Errorf("ParseQuery(%q) = %v, want ErrShortPrefix", short, err)
		}
	}
	q, err := ParseQuery(`Иван ПЕТРОВ иван ворон* "Глеб Шахновский"`)
	if err != nil || !slices.Equal(q.Terms, Tokens("иван петров глеб шахновский")) ||
		len(q.Prefixes) != 1 || q.Prefixes[0].P != "voron" || len(q.Phrases) != 1 || len(q.Phrases[0]) != 2 {
		t.Fatalf("ParseQuery = %+v, %v", q, err)
	}
	a, b, c := ids.NewCaseID(), ids.NewCaseID(), ids.NewCaseID()
	var name, region FieldSet
	name.Add(2)
	region.Add(9)
	postings := map[string][]Entry{
		Tokens("иван")[0]:      SortEntries([]Entry{{a, name}, {b, name}, {c, name}}),
		Tokens("петров")[0]:    SortEntries([]Entry{{c, name}, {a, name}}),
		Tokens("воронеж")[0]:   {{a, region}},
		Tokens("воронцова")[0]: {{b, name}},
	}
	vocab := vocabOf(postings)
	look := func(tok string) ([]Entry, error) { return slices.Clone(postings[tok]), nil }
	match := func(text string, field int) []ids.CaseID {
		t.Helper()
		q, err := ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		es, err := q.Candidates(look, vocab, field)
		if err != nil {
			t.Fatal(err)
		}
		var out []ids.CaseID
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	if got := match("Ivan Petrov", -1); !slices.Equal(got, SortIDs([]ids.CaseID{a, c})) {
		t.Fatalf("Ivan Petrov = %v", got)
	}
	if got := match("ivan nobody", -1); len(got) != 0 {
		t.Fatalf("a term no case holds matched %v", got)
	}
	if got := match("ворон*", -1); !slices.Equal(got, SortIDs([]ids.CaseID{a, b})) {
		t.Fatalf("ворон* = %v", got)
	}
	if got := match("ворон*", 9); !slices.Equal(got, []ids.CaseID{a}) {
		t.Fatalf("ворон* in the region = %v", got)
	}
	if got := match("иван", 9); len(got) != 0 {
		t.Fatalf("иван in the region = %v", got)
	}
}

// A prefix whose word's stem is cut to two letters (юли* and Юлия: ul~;
// оля* ol~) matches that token through the index (Candidates) as through a
// scan of a case's tokens (MatchTokens): before index format 5 the token
// was ul, which has no vocabulary record (the starts are three letters),
// and the scan found Юлия for юли* while the index did not.
func TestShortStemPrefixAgreesWithScan(t *testing.T) {
	a, b := ids.NewCaseID(), ids.NewCaseID()
	var name FieldSet
	name.Add(2)
	postings := map[string][]Entry{}
	for _, w := range []string{"Юлия", "Оля", "Елизавета"} {
		postings[Tokens(w)[0]] = append(postings[Tokens(w)[0]], Entry{a, name})
	}
	for _, w := range []string{"Улитин", "Олейник", "Елизаров"} {
		postings[Tokens(w)[0]] = append(postings[Tokens(w)[0]], Entry{b, name})
	}
	vocab := vocabOf(postings)
	look := func(tok string) ([]Entry, error) { return slices.Clone(postings[tok]), nil }
	tokensOf := func(id ids.CaseID) TokenFields {
		tf := TokenFields{}
		for tok, es := range postings {
			for _, e := range es {
				if e.ID == id {
					tf[tok] = e.Fields
				}
			}
		}
		return tf
	}
	for text, want := range map[string][]ids.CaseID{
		"юли*":  SortIDs([]ids.CaseID{a, b}), // Юлия, Улитин
		"оля*":  {a},                         // Оля
		"Юлия*": {a},
		"ули*":  SortIDs([]ids.CaseID{a, b}), // ul, Улитин
		"оле*":  SortIDs([]ids.CaseID{a, b}), // Оля (ol), Олейник
		"ели*":  SortIDs([]ids.CaseID{a, b}), // Елизавета, Елизаров
	} {
		q, err := ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		es, err := q.Candidates(look, vocab, -1)
		if err != nil {
			t.Fatal(err)
		}
		var index []ids.CaseID
		for _, e := range es {
			index = append(index, e.ID)
		}
		var scan []ids.CaseID
		for _, id := range SortIDs([]ids.CaseID{a, b}) {
			if _, ok := q.MatchTokens(tokensOf(id), -1); ok {
				scan = append(scan, id)
			}
		}
		if !slices.Equal(index, scan) || !slices.Equal(scan, want) {
			t.Errorf("%s: index found %v, scan %v; want %v (a %v holds Юлия, Оля, Елизавета; b %v Улитин, Олейник, Елизаров)", text, index, scan, want, a, b)
		}
	}
}

// vocabOf is the vocabulary of the tokens of postings, by start, for
// Candidates.
func vocabOf(postings map[string][]Entry) func(start string) ([]string, error) {
	return func(start string) ([]string, error) {
		var out []string
		for t := range postings {
			if s, _ := VocabStartOf(t); s == start {
				out = append(out, t)
			}
		}
		return out, nil
	}
}
