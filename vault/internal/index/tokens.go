package index

import (
	"sort"
	"strconv"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/fold"
)

// Tokens splits texts into search tokens (fold.Words): the stem of the
// transliterated skeleton of each word, so that Омск and Omsk, Кузнецова
// and Kouznetsova, Зайцев and Зайцеву give the same token; runs of digits
// as they are ("207.3" is one token). Duplicates are removed; the parts
// of a hyphenated word are tokens, and so is the word written together.
func Tokens(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, t := range texts {
		for _, w := range fold.Words(t) {
			add(w.Token)
			add(w.Joined)
		}
	}
	return out
}

// StatusToken is the token a case with status s is indexed under, so
// that listing by status is a posting lookup.
func StatusToken(s string) string { return "status:" + s }

// A TokenFields maps each token of a case to the fields that hold it.
// Tokens of structured fields (FilterTokens) have no field.
type TokenFields map[string]FieldSet

// add indexes the words of text as found in field n.
func (tf TokenFields) add(text string, n int) {
	for _, t := range textTokens(text) {
		s := tf[t]
		s.Add(n)
		tf[t] = s
	}
}

// Sorted returns the tokens in order.
func (tf TokenFields) Sorted() []string {
	out := make([]string, 0, len(tf))
	for t := range tf {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// CaseTokens are the tokens a case is indexed under, with the fields that
// hold them: the words of every text of its document, whatever the
// field's sensitivity (the document is walked as it is, not through a
// list of fields), the text fields of its evidence items (EachCaseText),
// and the tokens of its structured fields (FilterTokens).
func CaseTokens(doc *schema.Case, ev []evidence.Meta) TokenFields {
	tf := make(TokenFields, caseTokensHint)
	EachCaseText(doc, ev, func(field int, text string) { tf.add(text, field) })
	if doc != nil {
		for _, tok := range FilterTokens(doc) {
			if _, ok := tf[tok]; !ok {
				tf[tok] = FieldSet{}
			}
		}
	}
	return tf
}

// caseTokensHint is the room CaseTokens makes for a case's tokens at
// first: a generated case has 120 on average, up to 200; growing the map from
// empty allocated about as much again as the map itself.
const caseTokensHint = 192

// EachCaseText calls fn with every text of a case that search finds, and
// the number of its field: each string and number of the document but
// its format marker, and the text fields of each evidence item.
func EachCaseText(doc *schema.Case, ev []evidence.Meta, fn func(field int, text string)) {
	if doc != nil {
		for k, v := range doc.Doc {
			if !skippedFields[k] {
				walk(k, v, fn)
			}
		}
	}
	t := fields()
	for _, e := range ev {
		for _, f := range []struct {
			path, text string
		}{
			{FieldEvidenceName, e.Name}, {FieldEvidenceNote, e.Note}, {FieldEvidenceCollectedBy, e.CollectedBy},
			{FieldEvidenceCollectedAt, e.CollectedAt}, {FieldEvidenceSource, e.Source}, {FieldEvidenceMediaType, e.MediaType},
		} {
			if f.text != "" {
				fn(t.number[f.path], f.text)
			}
		}
	}
}

// walk calls fn with every string and number below v, found at path.
func walk(path string, v any, fn func(field int, text string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			walk(path+"."+k, e, fn)
		}
	case []any:
		for _, e := range v {
			walk(path, e, fn)
		}
	case string:
		fn(fieldOf(path), v)
	case float64:
		fn(fieldOf(path), strconv.FormatFloat(v, 'f', -1, 64))
	case int:
		fn(fieldOf(path), strconv.Itoa(v))
	case int64:
		fn(fieldOf(path), strconv.FormatInt(v, 10))
	}
}
