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
	val := EncodeGroup([]ids.CaseID{a, b, c})
	got, err := DecodeGroup(nil, val)
	if err != nil || !slices.Equal(got, []ids.CaseID{a, b, c}) {
		t.Fatalf("DecodeGroup = %v, %v", got, err)
	}
	if _, err := DecodeGroup(nil, val[1:]); !errors.Is(err, ErrBadGroup) {
		t.Fatalf("group of a bad length: %v", err)
	}
	nv, ok := RemoveFromGroup(bytes.Clone(val), b)
	if got, _ := DecodeGroup(nil, nv); !ok || !slices.Equal(got, []ids.CaseID{a, c}) {
		t.Fatalf("RemoveFromGroup = %v, %v", got, ok)
	}
	if _, ok := RemoveFromGroup(nv, b); ok {
		t.Fatal("removed a case that is not in the group")
	}
}

func TestQuery(t *testing.T) {
	if _, err := ParseQuery(" -- ! "); !errors.Is(err, ErrEmptyQuery) {
		t.Fatalf("empty query: %v", err)
	}
	q, err := ParseQuery("Иван ПЕТРОВ иван")
	if err != nil || !slices.Equal(q.Terms, []string{"иван", "петров"}) {
		t.Fatalf("ParseQuery = %v, %v", q, err)
	}
	a, b, c := ids.NewCaseID(), ids.NewCaseID(), ids.NewCaseID()
	postings := map[string][]ids.CaseID{
		"иван":   SortIDs([]ids.CaseID{a, b, c}),
		"петров": SortIDs([]ids.CaseID{c, a}),
	}
	hits, err := q.Match(func(tok string) ([]ids.CaseID, error) { return postings[tok], nil })
	if err != nil || !slices.Equal(hits, SortIDs([]ids.CaseID{a, c})) {
		t.Fatalf("Match = %v, %v", hits, err)
	}
	if hits, _ := (Query{Terms: []string{"иван", "нет"}}).Match(func(tok string) ([]ids.CaseID, error) { return postings[tok], nil }); len(hits) != 0 {
		t.Fatalf("a term no case holds matched %v", hits)
	}
}
