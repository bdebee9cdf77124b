package vault

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/index"
	"pgregory.net/rapid"
)

// TestSearchFindsEveryWordProperty: a case holding arbitrary words (Latin
// and Cyrillic letters, ё, й, digits, any case) in arbitrary fields of any
// sensitivity is found by each word, in the field it is in, and by all of
// them as a phrase.
func TestSearchFindsEveryWordProperty(t *testing.T) {
	v := newTestVault(t)
	fields := []struct{ path, yaml string }{
		{"person.aliases", "person: {name: X, aliases: [%s]}"},
		{"person.contacts.name", "person: {name: X, contacts: [{role: lawyer, name: %s}]}"},
		{"mistreatment.description", "person: {name: X}\nmistreatment: [{date: 2023-01-01, kind: [threats], description: %s}]"},
		{"mistreatment.perpetrators", "person: {name: X}\nmistreatment: [{date: 2023-01-01, kind: [threats], perpetrators: [%s]}]"},
		{"detention.notes", "person: {name: X}\ndetention: [{kind: colony, facility: IK-1, notes: %s}]"},
		{"proceedings.judge", "person: {name: X}\nproceedings: {judge: %s}"},
		{"notes", "person: {name: X}\nnotes: %s"},
	}
	word := rapid.StringMatching(`[A-Za-zА-Яа-яЁёЙй]{2,10}|[0-9]{1,4}`)
	rapid.Check(t, func(rt *rapid.T) {
		words := rapid.SliceOfN(word, 1, 5).Draw(rt, "words")
		f := rapid.SampledFrom(fields).Draw(rt, "field")
		text := strings.Join(words, " ")
		doc := wordsCase(t, strings.Replace(f.yaml, "%s", `"`+text+`"`, 1)+"\n")
		id, err := v.AddCase(doc)
		if err != nil {
			rt.Fatal(err)
		}
		defer func() {
			if err := v.RemoveCase(id); err != nil {
				rt.Fatal(err)
			}
		}()
		queries := append(slices.Clone(words), `"`+text+`"`, strings.ToUpper(text))
		for _, q := range queries {
			if len(index.Tokens(q)) == 0 {
				continue
			}
			for _, o := range []SearchOptions{{}, {Field: f.path}} {
				hit := false
				err := v.SearchCases(context.Background(), q, Filter{}, o, func(h Hit) error {
					if h.ID == id.String() {
						hit = slices.Contains(h.Fields, f.path)
					}
					return nil
				})
				if err != nil {
					rt.Fatalf("search %q: %v", q, err)
				}
				if !hit {
					rt.Fatalf("%q (field %q) does not find a case holding %q in %s", q, o.Field, text, f.path)
				}
			}
		}
	})
}
