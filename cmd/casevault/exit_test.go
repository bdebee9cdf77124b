package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault"
)

// TestNotFoundHints checks that a missing thing gets exit code 7 and a
// hint about that kind of thing, not about cases.
func TestNotFoundHints(t *testing.T) {
	for kind, want := range map[string]string{
		"case":                                   "case list",
		"revision":                               "case history",
		"organisation":                           "org list",
		"evidence":                               "evidence list",
		"share":                                  "share list",
		"shared case":                            "share list",
		"audit head witnessed from organisation": "",
	} {
		err := fmt.Errorf("ctx: %w", &vault.NotFoundError{Kind: kind, ID: "x"})
		code, hint := classify(err)
		if code != exitNotFound {
			t.Errorf("%s: exit %d, want %d", kind, code, exitNotFound)
		}
		if want == "" && strings.Contains(hint, "case list") || !strings.Contains(hint, want) {
			t.Errorf("%s: hint %q, want one about %q", kind, hint, want)
		}
	}
}
