package vault

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPassphraseStrength(t *testing.T) {
	for _, weak := range []string{"x", "a", "password", "qwertyuiop", "12345678", "Memorial2024", "memorial defence"} {
		err := CheckPassphraseStrength([]byte(weak), "Memorial Defence")
		var we *WeakPassphraseError
		if !errors.As(err, &we) {
			t.Errorf("%q accepted", weak)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "strength") || !strings.Contains(msg, "cracked in") || len(we.Feedback) == 0 {
			t.Errorf("%q: message %q says not why", weak, msg)
		}
		if len(weak) > 3 && weak != "password" && strings.Contains(msg, weak) {
			t.Errorf("%q: message quotes the passphrase: %q", weak, msg)
		}
	}
	// Precision: passphrases people are told to use pass.
	for _, strong := range []string{"correct horse battery staple", "a new passphrase after the seizure 41", "violet tundra kettle imprint", "Ложка дёгтя в бочке мёда 1987"} {
		if err := CheckPassphraseStrength([]byte(strong), "Memorial Defence"); err != nil {
			t.Errorf("%q refused: %v", strong, err)
		}
	}
	// The organisation's name is a weak spot.
	if err := CheckPassphraseStrength([]byte("memorial defence"), "Memorial Defence"); err == nil || !strings.Contains(err.Error(), "organisation's name") {
		t.Errorf("organisation name: %v", err)
	}
	// Long input is judged quickly (only the first 128 characters).
	if err := CheckPassphraseStrength([]byte(strings.Repeat("ab", 2048)), ""); err == nil {
		t.Log("4 KiB of 'ab' accepted (judged on its first 128 characters)")
	}
}

// Issue 11, attack 03: the organisation's name and year, Russian keyboard
// walks, Cyrillic dictionary words and one word repeated are weak.
func TestCheckPassphraseStrengthRussian(t *testing.T) {
	for _, p := range []string{
		"йцукенгшщзхъ",
		"фывапролджэ",
		"пароль пароль пароль",
		"Memorial Defence 2024",
		"staple staple staple staple",
	} {
		if err := CheckPassphraseStrength([]byte(p), "Memorial Defence"); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
	for _, p := range []string{"correct horse battery staple quantum walrus 81", "кошка ураган тетрадь вертолёт"} {
		if err := CheckPassphraseStrength([]byte(p), "Memorial Defence"); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
}
