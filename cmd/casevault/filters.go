package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// addFilterFlags adds the structured filters of `case list`, `case search`
// and `stats` to cmd, filling f. Every value is checked as it is parsed:
// a value the case model does not allow, a date that is not YYYY-MM-DD or
// an article that is not one is a usage error (exit 2), not an empty list.
func addFilterFlags(cmd *cobra.Command, f *vault.Filter) {
	fl := cmd.Flags()
	fl.Var(&articleFlag{&f.Articles}, "article", "only cases charged under this article or one of its parts: 207.3 matches 207.3(2); any usual spelling (\"ст. 207.3 ч. 2 УК РФ\", \"20.3.3 КоАП\"); repeat for cases charged under all of them")
	fl.Var(&wordsFlag{&f.Region}, "region", "only cases whose region holds these words, in any case, ё as е (omsk matches \"Omsk region\")")
	fl.Var(&wordsFlag{&f.Facility}, "facility", "only cases held in a facility whose name holds these words (ik-6 matches \"IK-6, Omsk region\")")
	fl.Var(&vocabFlag{&f.Status, "status"}, "status", "only cases with this status ("+strings.Join(vocabulary("status"), ", ")+")")
	fl.Var(&vocabFlag{&f.Consent, "consent"}, "consent", "only cases with this publication consent ("+strings.Join(vocabulary("consent"), ", ")+"; none includes cases without one)")
	fl.Var(&vocabFlag{&f.Mistreatment, "mistreatment"}, "has-mistreatment", "only cases with a mistreatment incident of this kind ("+strings.Join(vocabulary("mistreatment"), ", ")+")")
	fl.StringVar(&f.Org, "org", "", "only cases imported from the partner organisation `NAME` (as its card names it, in any case)")
	fl.Var(&dateFlag{&f.DetainedSince}, "detained-since", "only cases first detained on or after this day, YYYY-MM-DD (a date known only to the month or year counts as its first day)")
	fl.Var(&dateFlag{&f.UpdatedSince}, "updated-since", "only cases changed on or after this day, YYYY-MM-DD (UTC)")
}

// addPagingFlags adds --sort, --limit and --offset, filling f.
func addPagingFlags(cmd *cobra.Command, f *vault.Filter) {
	fl := cmd.Flags()
	fl.Var(&choiceFlag{&f.Sort, []string{vault.SortName, vault.SortUpdated, vault.SortDetained}}, "sort", "order: name (default), updated (newest first) or detained (first detention, earliest first)")
	fl.Var(&countFlag{&f.Limit}, "limit", "print at most this many cases (0: all)")
	fl.Var(&countFlag{&f.Offset}, "offset", "skip this many cases first (with --limit: pages)")
}

// An articleFlag takes an article in any spelling NormalizeArticle knows.
type articleFlag struct{ dst *[]string }

func (a *articleFlag) String() string { return strings.Join(*a.dst, ", ") }
func (a *articleFlag) Type() string   { return "ARTICLE" }
func (a *articleFlag) Set(s string) error {
	n, ok := schema.NormalizeArticle(s)
	if !ok {
		return errors.New("not one article of the Criminal Code or the Code of Administrative Offences: write it as 207.3, 207.3(2), \"ст. 207.3 ч. 2 УК РФ\" or \"20.3.3 КоАП\"")
	}
	*a.dst = append(*a.dst, n)
	return nil
}

// A wordsFlag takes text with at least one letter or digit.
type wordsFlag struct{ dst *string }

func (w *wordsFlag) String() string { return *w.dst }
func (w *wordsFlag) Type() string   { return "WORDS" }
func (w *wordsFlag) Set(s string) error {
	if len(vault.FoldWords(s)) == 0 {
		return errors.New("has no letters or digits")
	}
	*w.dst = s
	return nil
}

// A vocabFlag takes a value of a controlled vocabulary of the case model.
type vocabFlag struct {
	dst  *string
	kind string // status, consent or mistreatment
}

func (v *vocabFlag) String() string { return *v.dst }
func (v *vocabFlag) Type() string   { return "VALUE" }
func (v *vocabFlag) Set(s string) error {
	if err := checkVocabulary(v.kind, s); err != nil {
		return err
	}
	*v.dst = s
	return nil
}

// A choiceFlag takes one of a few words.
type choiceFlag struct {
	dst     *string
	choices []string
}

func (c *choiceFlag) String() string { return *c.dst }
func (c *choiceFlag) Type() string   { return "ORDER" }
func (c *choiceFlag) Set(s string) error {
	for _, ch := range c.choices {
		if s == ch {
			*c.dst = s
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(c.choices, ", "))
}

// A dateFlag takes a day, YYYY-MM-DD.
type dateFlag struct{ dst *time.Time }

func (d *dateFlag) String() string {
	if d.dst.IsZero() {
		return ""
	}
	return d.dst.Format(time.DateOnly)
}
func (d *dateFlag) Type() string { return "DATE" }
func (d *dateFlag) Set(s string) error {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return errors.New("must be a date YYYY-MM-DD")
	}
	*d.dst = t
	return nil
}

// A countFlag takes a number of cases, 0 or more.
type countFlag struct{ dst *int }

func (c *countFlag) String() string { return strconv.Itoa(*c.dst) }
func (c *countFlag) Type() string   { return "N" }
func (c *countFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return errors.New("must be a whole number, 0 or more")
	}
	*c.dst = n
	return nil
}

// vocabularyProbe is a case holding value in the field of a controlled
// vocabulary, and the path of that field in validation problems.
func vocabularyProbe(kind, value string) (map[string]any, string) {
	doc := map[string]any{"person": map[string]any{"name": "x"}}
	switch kind {
	case "status":
		doc["status"] = value
		return doc, "status"
	case "consent":
		doc["publication"] = map[string]any{"consent": value}
		return doc, "publication.consent"
	default:
		doc["mistreatment"] = []any{map[string]any{"date": "2020-01-01", "kind": []any{value}}}
		return doc, "mistreatment[0].kind"
	}
}

// checkVocabulary refuses a value the case model does not allow for a
// controlled vocabulary (status, consent, mistreatment), asking the
// schema itself, so that a typo is an error rather than an empty list.
func checkVocabulary(kind, value string) error {
	doc, path := vocabularyProbe(kind, value)
	probe, _ := json.Marshal(doc)
	_, err := schema.Parse(probe)
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if strings.HasPrefix(p.Path, path) {
				return errors.New(p.Message)
			}
		}
		return err
	}
	return err
}

// vocabulary lists the values of a controlled vocabulary, for help texts,
// from the schema without compiling it: every command builds the help of
// every command.
func vocabulary(kind string) []string {
	_, path := vocabularyProbe(kind, "")
	return schema.Vocabulary(strings.ReplaceAll(path, "[0]", ""))
}
