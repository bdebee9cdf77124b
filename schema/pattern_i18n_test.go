package schema

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/i18n"
)

// TestPatternMessagesTranslated: every x-pattern-message of the case
// schema is in the catalogue in Russian and Ukrainian, so that a value that
// does not match (a hearing's time 25:99) is explained wholly in the
// user's language, not half in English.
func TestPatternMessagesTranslated(t *testing.T) {
	b, err := os.ReadFile("case.v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var hints []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if s, ok := e.(string); ok && k == "x-pattern-message" {
					hints = append(hints, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	if len(hints) < 5 {
		t.Fatalf("only %d x-pattern-message found", len(hints))
	}
	for _, h := range hints {
		for _, lang := range []string{"ru", "uk"} {
			if got := i18n.TranslateText(lang, h); got == h || strings.Contains(got, "must ") {
				t.Errorf("%s: %q is said %q", lang, h, got)
			}
		}
	}
	c, err := Parse([]byte("person:\n  name: X\nhearings:\n  - date: 2026-12-04\n    time: \"25:99\"\n"))
	if err == nil {
		err = c.Validate()
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("a hearing at 25:99: %v", err)
	}
	if ru := ve.Localize("ru"); !strings.Contains(ru, "ЧЧ:ММ") || strings.Contains(ru, "must be") {
		t.Errorf("Russian: %q", ru)
	}
}
