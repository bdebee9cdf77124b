package vault

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// A Summary is what `case list` and `case search` show of a case. It is kept
// under the index key so that listing does not open every case.
type Summary struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	NameNative string    `json:"name_native,omitempty"`
	Status     string    `json:"status,omitempty"`
	Updated    time.Time `json:"updated"`
	Rev        uint32    `json:"rev"`
	Origin     string    `json:"origin,omitempty"` // sending organisation of an imported case
}

// Tokens splits texts into search tokens: lower-cased runs of letters and
// digits (a dot between digits stays, so "207.3" is one token), with "ё"
// folded to "е". Duplicates are removed.
func Tokens(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, tok := range tokenize(t) {
			if !seen[tok] {
				seen[tok] = true
				out = append(out, tok)
			}
		}
	}
	return out
}

// cyrillicFold composes the Cyrillic letters that text in decomposed form
// (NFD, as macOS and some editors write it) spells with a combining mark,
// and folds "ё" to "е", so that "й" and "ё" match however they were typed.
var cyrillicFold = strings.NewReplacer(
	"и\u0306", "й", // и + combining breve
	"е\u0308", "е", // е + combining diaeresis (ё)
	"ё", "е",
)

func tokenize(s string) []string {
	s = cyrillicFold.Replace(strings.ToLower(s))
	rs := []rune(s)
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		case unicode.Is(unicode.Mn, r) && len(cur) > 0:
			// Other combining marks stay with their letter rather than
			// split the word in two.
			cur = append(cur, r)
		case r == '.' && len(cur) > 0 && unicode.IsDigit(cur[len(cur)-1]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

func caseTokens(doc *schema.Case) []string {
	toks := Tokens(doc.SearchText()...)
	if s := doc.Status(); s != "" {
		toks = append(toks, "status:"+s)
	}
	return toks
}

// tokenMAC returns the HMAC of a search token under the index key. Results
// are cached for the life of the open vault (an import computes the same
// few thousand tokens hundreds of thousands of times).
func (v *Vault) tokenMAC(tok string) []byte {
	if v.macCacheKey != v.keys.index {
		// The index key changed (rekey): cached MACs are stale.
		v.macCache, v.macCacheKey = nil, v.keys.index
	}
	if m, ok := v.macCache[tok]; ok {
		return m
	}
	m := crypto.MAC(v.keys.index, []byte(tok))[:8]
	if v.macCache == nil || len(v.macCache) > maxMACCache {
		v.macCache = make(map[string][]byte)
	}
	v.macCache[tok] = m
	return m
}

// maxMACCache bounds the token MAC cache.
const maxMACCache = 1 << 18

// indexCase replaces the index entries of a case: old is the previous
// document (nil for a new case).
func (c *change) indexCase(id CaseID, old, doc *schema.Case, rev *Revision) error {
	newToks := caseTokens(doc)
	keep := map[string]bool{}
	for _, t := range newToks {
		keep[t] = true
	}
	var had map[string]bool
	if old != nil {
		had = map[string]bool{}
		for _, t := range caseTokens(old) {
			had[t] = true
			if !keep[t] {
				if err := c.removePosting(c.v.tokenMAC(t), id); err != nil {
					return err
				}
			}
		}
	}
	for _, t := range newToks {
		if had[t] {
			continue
		}
		if err := c.addPosting(c.v.tokenMAC(t), id); err != nil {
			return err
		}
	}
	return c.put(summaryKey(id), c.v.keys.index, encodeSummary(caseSummary(id, doc, rev)))
}

// caseSummary is the list summary of a case at revision rev.
func caseSummary(id CaseID, doc *schema.Case, rev *Revision) Summary {
	s := Summary{ID: id.String(), Name: doc.Name(), NameNative: doc.NameNative(), Status: doc.Status(), Updated: rev.Time, Rev: rev.Rev}
	if rev.Provenance != nil {
		s.Origin = rev.Provenance.Org
	}
	return s
}

func (c *change) unindexCase(id CaseID, old *schema.Case) error {
	for _, t := range caseTokens(old) {
		if err := c.removePosting(c.v.tokenMAC(t), id); err != nil {
			return err
		}
	}
	return c.del(summaryKey(id))
}

// addPosting records that case id holds the token with this MAC: a key of
// its own, or, while a batch collects postings (import), an entry in the
// batch's group for the token.
func (c *change) addPosting(mac []byte, id CaseID) error {
	if c.postings != nil {
		k := string(mac)
		c.postings[k] = append(c.postings[k], id)
		return nil
	}
	return c.txn.Set(postingKey(mac, id), nil)
}

// flushPostings writes the postings a batch collected: one posting group
// per token, keyed by its first case, the other cases in the value.
func (c *change) flushPostings() error {
	for mac, ids := range c.postings {
		val := make([]byte, 0, (len(ids)-1)*idLen)
		for _, id := range ids[1:] {
			val = append(val, id[:]...)
		}
		if err := c.txn.Set(postingKey([]byte(mac), ids[0]), val); err != nil {
			return err
		}
	}
	c.postings = nil
	return nil
}

// removePosting removes case id from the postings of a token: its own key,
// or its place in a group (the group's first case may be id, in which case
// the group moves to the key of its next case).
func (c *change) removePosting(mac []byte, id CaseID) error {
	k := postingKey(mac, id)
	item, err := c.txn.Get(k)
	if err == nil {
		rest, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if err := c.del(k); err != nil {
			return err
		}
		if len(rest) >= idLen {
			var head CaseID
			copy(head[:], rest)
			return c.txn.Set(postingKey(mac, head), rest[idLen:])
		}
		return nil
	}
	if !errors.Is(err, store.ErrKeyNotFound) {
		return err
	}
	it := c.txn.NewIterator(store.IteratorOptions{Prefix: postingPrefix(mac), PrefetchValues: false})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		if item.ValueSize() < idLen {
			continue
		}
		val, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		for i := 0; i+idLen <= len(val); i += idLen {
			if bytes.Equal(val[i:i+idLen], id[:]) {
				nv := append(val[:i:i], val[i+idLen:]...)
				return c.txn.Set(item.KeyCopy(nil), nv)
			}
		}
	}
	return nil
}

// ListCases returns the summaries of all cases, or of those with the given
// status, sorted by name and then ID.
func (v *Vault) ListCases(status string) ([]Summary, error) {
	var out []Summary
	err := v.view(func(txn *store.Txn) error {
		if status != "" {
			ids, err := v.postings(txn, "status:"+status)
			if err != nil {
				return err
			}
			out, err = v.summaries(txn, ids)
			return err
		}
		var err error
		out, err = v.allSummaries(txn)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

func (v *Vault) decodeSummary(item *store.Item) (Summary, error) {
	var s Summary
	err := item.Value(func(sealed []byte) error {
		var err error
		s, err = decodeSummaryValue(item.Key(), sealed, v.keys.index)
		return err
	})
	return s, err
}

// decodeSummaryValue opens a summary record stored under k and checks that
// it names the case of its key.
func decodeSummaryValue(k, sealed []byte, sk crypto.Key) (Summary, error) {
	var s Summary
	pt, err := openRecord(k, sk, sealed)
	if err != nil {
		return s, err
	}
	if err := decodeSummaryRecord(pt, &s); err != nil {
		return s, &CorruptError{What: describeKey(k), Err: err}
	}
	var id CaseID
	if len(k) == 1+idLen {
		copy(id[:], k[1:])
	}
	if s.ID != id.String() {
		return s, &CorruptError{What: describeKey(k), Err: errors.New("summary names another case")}
	}
	return s, nil
}

// scanThreshold is the number of cases above which summaries are read by
// one pass over all summaries rather than one lookup per case.
const scanThreshold = 2000

// summaries returns the summaries of the cases ids (sorted by ID).
func (v *Vault) summaries(txn *store.Txn, ids []CaseID) ([]Summary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return v.summariesOf(txn, ids, false)
}

// allSummaries returns the summaries of every case.
func (v *Vault) allSummaries(txn *store.Txn) ([]Summary, error) {
	return v.summariesOf(txn, nil, true)
}

func (v *Vault) summariesOf(txn *store.Txn, ids []CaseID, all bool) ([]Summary, error) {
	if all || len(ids) > scanThreshold {
		var out []Summary
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pSummary}, PrefetchValues: false})
		defer it.Close()
		i := 0
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if !all {
				k := item.Key()
				for i < len(ids) && bytes.Compare(ids[i][:], k[1:]) < 0 {
					i++
				}
				if i == len(ids) {
					break
				}
				if !bytes.Equal(ids[i][:], k[1:]) {
					continue
				}
			}
			s, err := v.decodeSummary(item)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		item, err := txn.Get(summaryKey(id))
		if errors.Is(err, store.ErrKeyNotFound) {
			continue // a stale posting; check --repair removes it
		}
		if err != nil {
			return nil, err
		}
		s, err := v.decodeSummary(item)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func sortSummaries(s []Summary) {
	type sortKey struct {
		name string
		i    int
	}
	keys := make([]sortKey, len(s))
	for i := range s {
		keys[i] = sortKey{strings.ToLower(s[i].Name), i}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(s[a.i].ID, s[b.i].ID)
	})
	sorted := make([]Summary, len(s))
	for n, k := range keys {
		sorted[n] = s[k.i]
	}
	copy(s, sorted)
}

// postings returns the IDs of the cases indexed under one token, sorted.
// A posting key names one case; its value may name more (a group written
// by an import).
func (v *Vault) postings(txn *store.Txn, tok string) ([]CaseID, error) {
	pfx := postingPrefix(v.tokenMAC(tok))
	it := txn.NewIterator(store.IteratorOptions{Prefix: pfx, PrefetchValues: false})
	defer it.Close()
	var ids []CaseID
	grouped := false
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if len(k) != len(pfx)+idLen {
			continue
		}
		var id CaseID
		copy(id[:], k[len(pfx):])
		ids = append(ids, id)
		if item.ValueSize() == 0 {
			continue
		}
		grouped = true
		err := item.Value(func(val []byte) error {
			if len(val)%idLen != 0 {
				return &CorruptError{What: "search index", Err: errors.New("posting group of a bad length")}
			}
			for i := 0; i < len(val); i += idLen {
				copy(id[:], val[i:])
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if grouped {
		slices.SortFunc(ids, func(a, b CaseID) int { return bytes.Compare(a[:], b[:]) })
		ids = slices.Compact(ids)
	}
	return ids, nil
}

// Search returns the cases whose indexed text (names, aliases, charges,
// facilities, region, court, public summary) contains every word of query,
// case-insensitively in any script.
func (v *Vault) Search(query string) ([]Summary, error) {
	toks := Tokens(query)
	if len(toks) == 0 {
		return nil, errors.New("search text has no letters or digits")
	}
	var out []Summary
	err := v.view(func(txn *store.Txn) error {
		var hits []CaseID
		for i, t := range toks {
			ids, err := v.postings(txn, t)
			if err != nil {
				return err
			}
			if i == 0 {
				hits = ids
				continue
			}
			hits = intersect(hits, ids)
		}
		var err error
		out, err = v.summaries(txn, hits)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

func intersect(a, b []CaseID) []CaseID {
	var out []CaseID
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := bytes.Compare(a[i][:], b[j][:]); {
		case c == 0:
			out = append(out, a[i])
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	return out
}
