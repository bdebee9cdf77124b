package vault

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitRefusesUnreadableOrgName: Init refuses an organisation name a
// partner's vault would refuse on its card (a control character, a
// newline, a bidirectional override or isolate), as invalid input naming
// the character, and leaves no vault behind; a name with letters of any
// script is accepted.
func TestInitRefusesUnreadableOrgName(t *testing.T) {
	for name, char := range map[string]string{
		"Memorial\nDefence":         "U+000A",
		"Defence\x1b[31m Group":     "U+001B",
		"Group \u202eevil":          "U+202E",
		"\u2066Defence\u2069 Group": "U+2066",
		"Defence \u2069Group":       "U+2069",
	} {
		dir := filepath.Join(t.TempDir(), "vault")
		_, err := Init(dir, InitOptions{Org: name, Passphrase: []byte(corePass), Options: Options{Author: "tester"}})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), char) || !strings.Contains(err.Error(), "organisation name") {
			t.Errorf("Init(org %q): %v, want invalid input naming %s", name, err, char)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("Init(org %q) left %s behind", name, dir)
		}
	}
	if err := CheckNewOrg("  Правозащитная группа «Мемориал»  "); err != nil {
		t.Errorf("a Cyrillic name with spaces around it: %v", err)
	}
}
