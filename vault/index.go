package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	badger "github.com/dgraph-io/badger/v4"
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

func (v *Vault) tokenMAC(tok string) []byte {
	return crypto.MAC(v.keys.index, []byte(tok))
}

// indexCase replaces the index entries of a case: old is the previous
// document (nil for a new case).
func (c *change) indexCase(id CaseID, old, doc *schema.Case, rev *Revision) error {
	newToks := caseTokens(doc)
	keep := map[string]bool{}
	for _, t := range newToks {
		keep[t] = true
	}
	if old != nil {
		for _, t := range caseTokens(old) {
			if !keep[t] {
				if err := c.del(postingKey(c.v.tokenMAC(t), id)); err != nil {
					return err
				}
			}
		}
	}
	for _, t := range newToks {
		if err := c.txn.Set(postingKey(c.v.tokenMAC(t), id), nil); err != nil {
			return err
		}
	}
	return c.putJSON(summaryKey(id), c.v.keys.index, caseSummary(id, doc, rev))
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
		if err := c.del(postingKey(c.v.tokenMAC(t), id)); err != nil {
			return err
		}
	}
	return c.del(summaryKey(id))
}

// ListCases returns the summaries of all cases, or of those with the given
// status, sorted by name and then ID.
func (v *Vault) ListCases(status string) ([]Summary, error) {
	var out []Summary
	err := v.view(func(txn *badger.Txn) error {
		if status != "" {
			ids, err := v.postings(txn, "status:"+status)
			if err != nil {
				return err
			}
			out, err = v.summaries(txn, ids)
			return err
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{pSummary}, PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			s, err := v.decodeSummary(it.Item())
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

func (v *Vault) decodeSummary(item *badger.Item) (Summary, error) {
	sealed, err := item.ValueCopy(nil)
	if err != nil {
		return Summary{}, err
	}
	return decodeSummaryValue(item.KeyCopy(nil), sealed, v.keys.index)
}

// decodeSummaryValue opens a summary record stored under k.
func decodeSummaryValue(k, sealed []byte, sk crypto.Key) (Summary, error) {
	var s Summary
	pt, err := openRecord(k, sk, sealed)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(pt, &s); err != nil {
		return s, &CorruptError{What: describeKey(k), Err: err}
	}
	return s, nil
}

func (v *Vault) summaries(txn *badger.Txn, ids []CaseID) ([]Summary, error) {
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		item, err := txn.Get(summaryKey(id))
		if errors.Is(err, badger.ErrKeyNotFound) {
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
	sort.Slice(s, func(i, j int) bool {
		a, b := strings.ToLower(s[i].Name), strings.ToLower(s[j].Name)
		if a != b {
			return a < b
		}
		return s[i].ID < s[j].ID
	})
}

// postings returns the IDs of the cases indexed under one token.
func (v *Vault) postings(txn *badger.Txn, tok string) ([]CaseID, error) {
	pfx := postingPrefix(v.tokenMAC(tok))
	it := txn.NewIterator(badger.IteratorOptions{Prefix: pfx})
	defer it.Close()
	var ids []CaseID
	for it.Rewind(); it.Valid(); it.Next() {
		k := it.Item().Key()
		if len(k) != len(pfx)+idLen {
			continue
		}
		var id CaseID
		copy(id[:], k[len(pfx):])
		ids = append(ids, id)
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
	err := v.view(func(txn *badger.Txn) error {
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
