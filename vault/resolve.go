package vault

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/fold"
	"github.com/casevault/casevault/vault/internal/ids"
	"github.com/casevault/casevault/vault/internal/store"
)

// IDPrefix is a whole case or evidence ID or a prefix of one (at least
// ids.MinPrefix characters, kind letter included), as a user types it.
type IDPrefix = ids.Prefix

// ParseCasePrefix parses a case ID or a prefix of one ("c7k2"). It checks
// the text only: [Vault.ResolveCase] finds the case.
func ParseCasePrefix(s string) (IDPrefix, error) { return ids.ParseCasePrefix(s) }

// ParseEvidencePrefix parses an evidence ID or a prefix of one.
func ParseEvidencePrefix(s string) (IDPrefix, error) { return ids.ParseEvidencePrefix(s) }

// maxCandidates bounds the IDs an ambiguous prefix lists (and scans).
const maxCandidates = 10

// A Candidate is one of the IDs an ambiguous prefix or name matches.
type Candidate struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AmbiguousError reports a prefix of an ID, or a name, that matches more
// than one case or evidence item. Candidates holds at most maxCandidates
// of them; More is set when there were more.
type AmbiguousError struct {
	Kind       string // "case" or "evidence"
	By         string // "ID prefix" or "name"
	Text       string
	Candidates []Candidate
	More       bool
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q matches more than one %s:", e.By, e.Text, e.Kind)
	for _, c := range e.Candidates {
		fmt.Fprintf(&b, "\n  %s  %s", c.ID, c.Name)
	}
	if e.More {
		b.WriteString("\n  …")
	}
	return b.String()
}

// Is puts an AmbiguousError among invalid input.
func (e *AmbiguousError) Is(target error) bool { return target == errs.ErrInvalid }

// scanPrefix returns up to maxCandidates+1 IDs of the keys pfx‖id whose id
// is in the prefix's range: a bounded key-range scan, not a walk over every
// case.
func scanPrefix(txn *store.Txn, pfx byte, p IDPrefix) []ID {
	var out []ID
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pfx}})
	defer it.Close()
	hi := key(pfx, p.Hi[:])
	for it.Seek(key(pfx, p.Lo[:])); it.Valid() && len(out) <= maxCandidates; it.Next() {
		k := it.Item().Key()
		if bytes.Compare(k, hi) > 0 {
			break
		}
		if len(k) != 1+idLen {
			continue
		}
		var id ID
		copy(id[:], k[1:])
		out = append(out, id)
	}
	return out
}

// ResolveCase returns the case whose ID is, or starts with, text. A whole
// ID is returned as it is (the caller's lookup reports an unknown one); a
// prefix that matches no case is a [NotFoundError], one that matches
// several an [AmbiguousError] listing them with their names.
func (v *Vault) ResolveCase(text string) (CaseID, error) {
	p, err := ParseCasePrefix(text)
	if err != nil {
		return CaseID{}, err
	}
	if p.Full {
		return CaseID(p.Lo), nil
	}
	var found []ID
	var names []Summary
	err = v.view(func(txn *store.Txn) error {
		found = scanPrefix(txn, pCaseKey, p)
		if len(found) < 2 {
			return nil
		}
		cs := make([]CaseID, 0, len(found))
		for _, id := range found[:min(len(found), maxCandidates)] {
			cs = append(cs, CaseID(id))
		}
		var err error
		names, err = v.summaries(txn, cs)
		return err
	})
	if err != nil {
		return CaseID{}, err
	}
	switch len(found) {
	case 0:
		return CaseID{}, &NotFoundError{Kind: NotFoundCase, ID: "with an ID starting " + p.Text}
	case 1:
		return CaseID(found[0]), nil
	}
	amb := &AmbiguousError{Kind: "case", By: "ID prefix", Text: p.Text, More: len(found) > maxCandidates}
	name := map[string]string{}
	for _, s := range names {
		name[s.ID] = s.Name
	}
	for _, id := range found[:min(len(found), maxCandidates)] {
		c := CaseID(id).String()
		amb.Candidates = append(amb.Candidates, Candidate{ID: c, Name: name[c]})
	}
	return CaseID{}, amb
}

// ResolveEvidence is ResolveCase for evidence IDs (the evidence index is
// scanned; candidates are listed with their file names).
func (v *Vault) ResolveEvidence(text string) (EvidenceID, error) {
	p, err := ParseEvidencePrefix(text)
	if err != nil {
		return EvidenceID{}, err
	}
	if p.Full {
		return EvidenceID(p.Lo), nil
	}
	var found []ID
	err = v.view(func(txn *store.Txn) error {
		found = scanPrefix(txn, pEvidIndex, p)
		return nil
	})
	if err != nil {
		return EvidenceID{}, err
	}
	switch len(found) {
	case 0:
		return EvidenceID{}, &NotFoundError{Kind: NotFoundEvidence, ID: "with an ID starting " + p.Text}
	case 1:
		return EvidenceID(found[0]), nil
	}
	amb := &AmbiguousError{Kind: "evidence", By: "ID prefix", Text: p.Text, More: len(found) > maxCandidates}
	for _, id := range found[:min(len(found), maxCandidates)] {
		e := EvidenceID(id)
		c := Candidate{ID: e.String()}
		if m, err := v.Evidence(e); err == nil {
			c.Name = m.Name
		}
		amb.Candidates = append(amb.Candidates, c)
	}
	return EvidenceID{}, amb
}

// ResolveCaseName returns the one case one of whose person names
// (person.name, person.name_native or one of person.aliases) is name.
// Candidates come from search, but a case matches only when name has the
// same words, in the same order, as one of its names, each compared on its
// folded skeleton (script, letter case and ё do not matter; word forms do:
// "Maria Petrov" is not "Maria Petrova", and a judge's name in another
// field never matches). A name that matches several cases is an
// [AmbiguousError] listing them, one that matches none a [NotFoundError].
func (v *Vault) ResolveCaseName(name string) (CaseID, error) {
	return v.resolveByName(name)
}

// nameSkeleton is the folded skeletons of a name's words, in order.
func nameSkeleton(s string) []string {
	var out []string
	for _, w := range fold.Words(s) {
		out = append(out, w.Skeleton)
	}
	return out
}

// SameName reports whether a and b are the same name word by word on
// folded skeletons (not stems): "Иван Петров" is "IVAN  PETROV", not
// "Ivan Petrova" nor "Petrov Ivan".
func SameName(a, b string) bool {
	x, y := nameSkeleton(a), nameSkeleton(b)
	return len(x) > 0 && slices.Equal(x, y)
}

// personNames returns a case's person.name, person.name_native and
// person.aliases.
func personNames(doc map[string]any) []string {
	p, _ := doc["person"].(map[string]any)
	var out []string
	for _, f := range []string{"name", "name_native"} {
		if s, ok := p[f].(string); ok && s != "" {
			out = append(out, s)
		}
	}
	if as, ok := p["aliases"].([]any); ok {
		for _, a := range as {
			if s, ok := a.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// resolveByName is the one place a case is found by name through Search.
func (v *Vault) resolveByName(name string) (CaseID, error) {
	want := nameSkeleton(name)
	if len(want) == 0 {
		return CaseID{}, &NotFoundError{Kind: NotFoundCase, ID: fmt.Sprintf("named %q", name)}
	}
	found, err := v.Search(name)
	if err != nil {
		return CaseID{}, err
	}
	var hits []Summary
	for _, s := range found {
		names := []string{s.Name, s.NameNative}
		if !slices.ContainsFunc(names, func(n string) bool { return slices.Equal(nameSkeleton(n), want) }) {
			id, err := ParseCaseID(s.ID)
			if err != nil {
				continue
			}
			r, err := v.Case(id)
			if err != nil {
				continue
			}
			c, err := r.Case()
			if err != nil {
				continue
			}
			names = personNames(c.Doc)
		}
		if slices.ContainsFunc(names, func(n string) bool { return slices.Equal(nameSkeleton(n), want) }) {
			hits = append(hits, s)
		}
	}
	switch len(hits) {
	case 0:
		return CaseID{}, &NotFoundError{Kind: NotFoundCase, ID: fmt.Sprintf("named %q", name)}
	case 1:
		return ParseCaseID(hits[0].ID)
	}
	amb := &AmbiguousError{Kind: "case", By: "name", Text: name, More: len(hits) > maxCandidates}
	for _, s := range hits[:min(len(hits), maxCandidates)] {
		amb.Candidates = append(amb.Candidates, Candidate{ID: s.ID, Name: s.Name})
	}
	return CaseID{}, amb
}
