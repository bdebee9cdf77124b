package index

import (
	"bytes"
	"slices"
	"strings"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/fold"
	"github.com/casevault/casevault/vault/internal/ids"
)

// ErrEmptyQuery is a query with nothing to search for.
var ErrEmptyQuery = errs.New(errs.ErrInvalid, "search text has no letters or digits")

// A Query is a parsed search. The cases it finds hold every term, a token
// starting with each prefix, and each phrase's words in order in one text.
type Query struct {
	Terms    []string   // search tokens, as Tokens makes them
	Prefixes []Prefix   // words written with a trailing *
	Phrases  [][]string // the tokens of each quoted phrase of two words or more, in order
}

// A Prefix is a word of a query written with a trailing *.
type Prefix struct {
	P    string // the word's skeleton, in search form (fold.SearchForm)
	Stem string // the token of the word itself (Зайцева* finds zaicev)
}

// maxQueryWords bounds the words of a query.
const maxQueryWords = 64

// ErrLongQuery is a query of more than maxQueryWords words.
var ErrLongQuery = errs.New(errs.ErrInvalid, "search text has more than 64 words")

// ParseQuery parses search text: every word of it must match, in any
// case and script (see Tokens); a word ending in * matches every word
// that starts with it (at least 3 letters: ErrShortPrefix); words in
// double quotes must come in that order, one after the other.
func ParseQuery(text string) (Query, error) {
	var q Query
	seen := map[string]bool{}
	term := func(t string) {
		if !seen[t] {
			seen[t] = true
			q.Terms = append(q.Terms, t)
		}
	}
	quoted := false
	for _, part := range strings.Split(text, `"`) {
		if quoted {
			var phrase []string
			for _, w := range fold.Words(part) {
				term(w.Token)
				phrase = append(phrase, w.Token)
			}
			if len(phrase) > 1 {
				q.Phrases = append(q.Phrases, phrase)
			}
		} else {
			for _, chunk := range strings.Fields(part) {
				words := fold.Words(chunk)
				prefix := strings.HasSuffix(chunk, "*")
				for i, w := range words {
					if prefix && i == len(words)-1 {
						if fold.Letters(w.Skeleton) < VocabStart {
							return Query{}, ErrShortPrefix
						}
						p := Prefix{P: fold.SearchForm(w.Skeleton), Stem: w.Token}
						if !slices.Contains(q.Prefixes, p) {
							q.Prefixes = append(q.Prefixes, p)
						}
						continue
					}
					term(w.Token)
				}
				if prefix && len(words) == 0 {
					return Query{}, ErrShortPrefix
				}
			}
		}
		quoted = !quoted
	}
	if len(q.Terms)+len(q.Prefixes) == 0 {
		return Query{}, ErrEmptyQuery
	}
	if len(q.Terms)+len(q.Prefixes) > maxQueryWords {
		return Query{}, ErrLongQuery
	}
	return q, nil
}

// Starts returns the vocabulary starts (see VocabStartOf) whose records
// may hold the tokens p stands for.
func (p Prefix) Starts() []string {
	var out []string
	for _, c := range p.forms() {
		if s, ok := VocabStartOf(c); ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// forms are the forms a prefix is compared in: itself, the word's own
// token, and, for one cut in a sound (see cut), the prefix without its
// last letter.
func (p Prefix) forms() []string {
	out := []string{p.P}
	if p.Stem != p.P {
		out = append(out, p.Stem)
	}
	if p.cut() {
		base := p.P[:len(p.P)-1]
		for _, c := range p.nextAfterCut() {
			out = append(out, base+string(c))
		}
	}
	return out
}

// nextAfterCut are the letters that may follow the prefix without its
// last letter in a token: a vowel after a glide i, a folded sound after
// the first letter of a digraph.
func (p Prefix) nextAfterCut() string {
	if p.P[len(p.P)-1] == 'i' {
		return "aeu"
	}
	return "CHSZ"
}

// cut reports a prefix whose last letter may be the first of a sound the
// whole word folds differently: a glide i (Юли*: ula), or the first letter
// of a Latin digraph (Kuznet*: kusneC, Shakhnovsk*), which the prefix cut
// in two.
func (p Prefix) cut() bool {
	return fold.Letters(p.P) >= VocabStart && strings.IndexByte("itkszC", p.P[len(p.P)-1]) >= 0
}

// Match reports whether token tok is one that p stands for.
func (p Prefix) Match(tok string) bool {
	if strings.HasPrefix(tok, p.P) || tok == p.Stem {
		return true
	}
	// Typed past the stem, into the ending: Shakhnovskay*, Petrova*.
	if strings.HasPrefix(p.P, tok) && len(p.P)-len(tok) <= 2 && fold.Letters(tok) >= 5 {
		return true
	}
	if p.cut() {
		base := p.P[:len(p.P)-1]
		if strings.HasPrefix(tok, base) && len(tok) > len(base) {
			return strings.IndexByte(p.nextAfterCut(), tok[len(base)]) >= 0
		}
	}
	return false
}

// Candidates returns the cases that hold every term and a token of every
// prefix of q, in field (or any field for -1), sorted by ID, each with the
// fields that hold them. postings returns the entries of one token,
// sorted by ID; vocab the tokens of one vocabulary start.
func (q Query) Candidates(postings func(tok string) ([]Entry, error), vocab func(start string) ([]string, error), field int) ([]Entry, error) {
	var hits []Entry
	first := true
	and := func(found []Entry) {
		if field >= 0 {
			found = slices.DeleteFunc(found, func(e Entry) bool { return !e.Fields.Has(field) })
		}
		if first {
			hits, first = found, false
			return
		}
		hits = IntersectEntries(hits, found)
	}
	// Terms first, rarest first would be better; the posting lists are
	// read once each.
	for _, t := range q.Terms {
		found, err := postings(t)
		if err != nil {
			return nil, err
		}
		and(found)
		if len(hits) == 0 {
			return nil, nil
		}
	}
	for _, p := range q.Prefixes {
		var toks []string
		seen := map[string]bool{}
		for _, s := range p.Starts() {
			vs, err := vocab(s)
			if err != nil {
				return nil, err
			}
			for _, t := range vs {
				if !seen[t] && p.Match(t) {
					seen[t] = true
					toks = append(toks, t)
				}
			}
		}
		var union []Entry
		for _, t := range toks {
			found, err := postings(t)
			if err != nil {
				return nil, err
			}
			union = append(union, found...)
		}
		and(SortEntries(union))
		if len(hits) == 0 {
			return nil, nil
		}
	}
	if field >= 0 {
		var only FieldSet
		only.Add(field)
		for i := range hits {
			hits[i].Fields = only
		}
	}
	return hits, nil
}

// MatchTokens reports whether a case with the tokens tf matches the terms
// and prefixes of q (in field, or any for -1), and the fields that hold
// them.
func (q Query) MatchTokens(tf TokenFields, field int) (FieldSet, bool) {
	var fs FieldSet
	ok := func(s FieldSet) bool { return field < 0 && !s.Empty() || field >= 0 && s.Has(field) }
	for _, t := range q.Terms {
		s, found := tf[t]
		if !found || !ok(s) {
			return fs, false
		}
		fs = fs.Union(s)
	}
	for _, p := range q.Prefixes {
		var u FieldSet
		for t, s := range tf {
			if ok(s) && p.Match(t) {
				u = u.Union(s)
			}
		}
		if u.Empty() {
			return fs, false
		}
		fs = fs.Union(u)
	}
	if field >= 0 {
		fs = FieldSet{}
		fs.Add(field)
	}
	return fs, true
}

// PhrasesIn reports whether every phrase of q comes, in order, in one of
// the texts that each calls its function with (with the field number of
// the text), narrowed to field unless it is -1; and the fields where they
// come.
func (q Query) PhrasesIn(each func(fn func(field int, text string)), field int) (FieldSet, bool) {
	var fs FieldSet
	if len(q.Phrases) == 0 {
		return fs, true
	}
	found := make([]bool, len(q.Phrases))
	each(func(f int, text string) {
		if field >= 0 && f != field {
			return
		}
		var seq []string
		for _, w := range fold.Words(text) {
			seq = append(seq, w.Token)
		}
		for i, p := range q.Phrases {
			if containsSeq(seq, p) {
				found[i] = true
				fs.Add(f)
			}
		}
	})
	for _, ok := range found {
		if !ok {
			return fs, false
		}
	}
	return fs, true
}

func containsSeq(seq, p []string) bool {
	for i := 0; i+len(p) <= len(seq); i++ {
		if slices.Equal(seq[i:i+len(p)], p) {
			return true
		}
	}
	return false
}

// SortIDs sorts case IDs and removes duplicates (a posting group names
// cases in the order they were imported).
func SortIDs(s []ids.CaseID) []ids.CaseID {
	slices.SortFunc(s, func(a, b ids.CaseID) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(s)
}

// SortEntries sorts entries by case ID, merging the fields of entries of
// the same case.
func SortEntries(s []Entry) []Entry {
	slices.SortFunc(s, func(a, b Entry) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	out := s[:0]
	for _, e := range s {
		if n := len(out); n > 0 && out[n-1].ID == e.ID {
			out[n-1].Fields = out[n-1].Fields.Union(e.Fields)
			continue
		}
		out = append(out, e)
	}
	return out
}

// Intersect returns the IDs in both a and b, each sorted by ID.
func Intersect(a, b []ids.CaseID) []ids.CaseID {
	var out []ids.CaseID
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

// IntersectEntries returns the entries of cases in both a and b (each
// sorted by ID), with the fields of both. It reuses a's memory.
func IntersectEntries(a, b []Entry) []Entry {
	out := a[:0]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := bytes.Compare(a[i].ID[:], b[j].ID[:]); {
		case c == 0:
			e := a[i]
			e.Fields = e.Fields.Union(b[j].Fields)
			out = append(out, e)
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
