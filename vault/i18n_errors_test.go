package vault

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/cases"
	"github.com/casevault/casevault/vault/internal/syncfmt"
)

// englishRun finds three English words in a row: what is left of an
// English sentence in a text said in Russian or Ukrainian.
var englishRun = regexp.MustCompile(`(?i)\b[a-z]{2,}[ ,;:]+[a-z]{2,}[ ,;:]+[a-z]{2,}\b`)

// TestLocalizedLibraryErrors: real errors of the library, as the CLI gets
// them (a publication refused for a leak, a forged partner card, a wrong
// passphrase, a sync object that does not open, recovery shares refused),
// said in Russian and Ukrainian by LocalizeError leave no English sentence
// and keep their values (names, IDs, numbers).
func TestLocalizedLibraryErrors(t *testing.T) {
	ctx := context.Background()
	type sample struct {
		name   string
		err    error
		values []string // shown as they are, in every language (where the English has them)
	}
	var samples []sample

	// A leak refused by publish.
	dir, v := coreInit(t, true)
	leaky := strings.Replace(publishFixture(t, "anonymous"), "A young woman charged", "Witness Ivanov says a young woman was charged", 1)
	leakCase := coreAdd(t, v, leaky)
	_, err := v.Publish(ctx, PublishOptions{Dir: filepath.Join(t.TempDir(), "site"), Format: "json", K: 1})
	if err == nil {
		t.Fatal("leak not refused")
	}
	samples = append(samples, sample{"leak", err, []string{`"Ivanov"`, leakCase.String(), "mistreatment[0].witnesses[0]"}})

	// A partner card altered by one byte.
	card, err := v.Card()
	if err != nil {
		t.Fatal(err)
	}
	forged := []byte(strings.Replace(string(card), "Test Defence Group", "Test Defence Groop", 1))
	if _, err := ParseCard(forged); err == nil {
		t.Fatal("forged card accepted")
	} else {
		samples = append(samples, sample{"card", err, nil})
	}
	if _, err := ParseCard([]byte(`{"type":"casevault-org-card","version":7}`)); err == nil {
		t.Fatal("card of version 7 accepted")
	} else {
		samples = append(samples, sample{"card version", err, []string{"7"}})
	}

	// Recovery shares: fewer than the threshold.
	ts := trustees(t, "Anna", "Boris", "Clara")
	res, files := split(t, v, 3, ts)
	v.Close()
	_, err = RecoveryCombine(ctx, dir, RecoveryCombineOptions{Shares: pick(files, res, 1, 2), Identities: trusteeIDs(ts), NewPassphrase: []byte("x")})
	if !errors.Is(err, ErrRecoveryShares) {
		t.Fatalf("K-1 shares: %v", err)
	}
	samples = append(samples, sample{"shares", err, []string{res.Split}})

	// A wrong passphrase.
	if _, err := Open(dir, corePassphrase("not the passphrase"), Options{}); err == nil {
		t.Fatal("wrong passphrase opened the vault")
	} else {
		samples = append(samples, sample{"passphrase", err, nil})
	}

	// A sync object planted under another vault's key.
	name := syncfmt.NewName()
	other := syncfmt.DeriveKeys(crypto.NewKey())
	sealed := other.Seal(name, 1, []byte("planted"))
	if _, err := syncfmt.DeriveKeys(crypto.NewKey()).Open(name, 1, sealed); err == nil {
		t.Fatal("planted object opened")
	} else {
		samples = append(samples, sample{"sync object", &CorruptError{What: "pack " + name, Err: err}, []string{name}})
	}
	samples = append(samples, sample{"sync refused", &SyncRefusedError{Remote: "office", Objects: []string{name}}, []string{name, `"office"`}})

	// The error types of the library, with the values they are made with.
	for _, e := range []error{
		&StaleError{Case: "c7k2m9", Base: 1, Current: 3, Undone: make([]cases.Change, 2)},
		&QuarantinedError{ID: "c7k2m9", Org: "Memorial"},
		&NotSharedError{Case: "c7k2m9", Org: "Memorial"},
		&WeakPassphraseError{Score: 1, Guesses: 1e6, CrackTime: "3 days"},
		&DiskFullError{Dir: "/srv/vault", Free: 12, Need: 64},
		&UnknownOrgError{Name: "Memorail"},
		&OrgLookalikeError{Name: "Memorial", Existing: "Memoria1"},
		&ImportFileError{Line: 3, Reason: "unknown column \"nmae\""},
		&WitnessFileError{Reason: "the file is empty"},
		&FieldsError{Unknown: []string{"person.nmae"}},
	} {
		// The names of fields are keys of the case file: never translated.
		samples = append(samples, sample{fmt.Sprintf("%T", e), e, []string{"schema, person, charges, detention, mistreatment, proceedings, hearings, deadlines, status, sources, notes, external_id, publication, sensitivity_overrides"}})
	}

	for _, s := range samples {
		en := s.err.Error()
		for _, lang := range []string{"ru", "uk"} {
			got := LocalizeError(s.err, lang)
			t.Logf("%s (%s):\n  %s\n  %s", s.name, lang, en, got)
			if got == en {
				t.Errorf("%s: not translated to %s: %q", s.name, lang, en)
				continue
			}
			rest := got
			for _, val := range s.values {
				if strings.Contains(en, val) && !strings.Contains(got, val) {
					t.Errorf("%s (%s): the value %q is lost: %q", s.name, lang, val, got)
				}
				rest = strings.ReplaceAll(rest, val, "")
			}
			if m := englishRun.FindString(rest); m != "" {
				t.Errorf("%s (%s): English left (%q) in %q", s.name, lang, m, got)
			}
		}
	}
}
