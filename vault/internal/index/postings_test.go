package index

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/store"
)

func TestPostingKeys(t *testing.T) {
	key := crypto.DeriveKey(crypto.Key{1}, "index")
	mac := TokenMAC(key, "иван")
	if len(mac) != MACLen || bytes.Equal(mac, TokenMAC(key, "ivan")) || bytes.Equal(mac, TokenMAC(crypto.DeriveKey(crypto.Key{2}, "index"), "иван")) {
		t.Fatalf("token MACs do not tell tokens or keys apart")
	}
	var c MACCache
	if !bytes.Equal(c.MAC(key, "иван"), mac) {
		t.Fatal("cached MAC differs")
	}
	other := crypto.DeriveKey(crypto.Key{3}, "index")
	if !bytes.Equal(c.MAC(other, "иван"), TokenMAC(other, "иван")) {
		t.Fatal("cache kept a MAC made under the previous key")
	}
	id := ids.NewCaseID()
	k := PostingKey(mac, id)
	if k[0] != store.PPosting || !bytes.HasPrefix(k, PostingPrefix(mac)) || len(k) != 1+MACLen+ids.Len || !bytes.Equal(k[1+MACLen:], id[:]) {
		t.Fatalf("posting key %x", k)
	}
}

func TestPostingGroups(t *testing.T) {
	a, b, c := ids.NewCaseID(), ids.NewCaseID(), ids.NewCaseID()
	var f1, f2 FieldSet
	f1.Add(2)
	f2.Add(0)
	f2.Add(70)
	val := EncodePosting(f1, []Entry{{b, f2}, {c, FieldSet{}}})
	got, err := DecodePosting(nil, a, val)
	if err != nil || !slices.Equal(got, []Entry{{a, f1}, {b, f2}, {c, FieldSet{}}}) {
		t.Fatalf("DecodePosting = %v, %v", got, err)
	}
	for i := range len(val) - 1 {
		if _, err := DecodePosting(nil, a, val[:i]); err == nil && i != 2 && i != 15 {
			// val[:2] and val[:15] end after a whole entry
			t.Fatalf("posting cut to %d bytes decoded", i)
		}
	}
	if single := EncodePosting(f1, nil); len(single) != 2 {
		t.Fatalf("a single posting in one field takes %d bytes", len(single))
	}
	if _, err := DecodeGroup(nil, make([]byte, ids.Len+1)); !errors.Is(err, ErrBadGroup) {
		t.Fatalf("format 1 group of a bad length: %v", err)
	}
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
	vocab := func(start string) ([]string, error) {
		var out []string
		for t := range postings {
			if s, _ := VocabStartOf(t); s == start {
				out = append(out, t)
			}
		}
		return out, nil
	}
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
