package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// Tamper tests: records changed, moved or replayed inside the store (with
// Badger's own encryption out of the way, through the test hooks in
// core_helpers_test.go) must fail to open with ErrTampered inside a
// *CorruptError, and never come back as data.

// coreWantTampered requires err to report a tampered record.
func coreWantTampered(t *testing.T, what string, got any, err error) {
	t.Helper()
	var ce *CorruptError
	if !errors.Is(err, ErrTampered) || !errors.As(err, &ce) {
		t.Fatalf("%s: err = %v; want *CorruptError wrapping ErrTampered", what, err)
	}
	switch g := got.(type) {
	case *Revision:
		if g != nil {
			t.Fatalf("%s: returned a revision along with the error", what)
		}
	case []*Revision:
		if len(g) != 0 {
			t.Fatalf("%s: returned %d revisions along with the error", what, len(g))
		}
	}
}

// coreTwoCases makes a vault with case a at revision 2 and case b at
// revision 2.
func coreTwoCases(t *testing.T) (*Vault, CaseID, CaseID) {
	t.Helper()
	_, v := coreInit(t, true)
	a := coreAdd(t, v, coreIvan)
	b := coreAdd(t, v, coreKaraMurza)
	if _, err := v.UpdateCase(a, coreCase(t, strings.Replace(coreIvan, "status: pretrial", "status: sentenced", 1))); err != nil {
		t.Fatal(err)
	}
	if _, err := v.UpdateCase(b, coreCase(t, strings.Replace(coreKaraMurza, "exchanged", "released", 1))); err != nil {
		t.Fatal(err)
	}
	return v, a, b
}

func TestTamperFlippedByteInRevision(t *testing.T) {
	for _, pos := range []string{"version", "nonce", "ciphertext", "tag"} {
		t.Run(pos, func(t *testing.T) {
			v, a, _ := coreTwoCases(t)
			k := revisionKey(a, 2)
			val := coreRaw(t, v, k)
			i := map[string]int{"version": 0, "nonce": 5, "ciphertext": 40, "tag": len(val) - 1}[pos]
			val[i] ^= 0x04
			coreSetRaw(t, v, k, val)

			r, err := v.Case(a)
			coreWantTampered(t, "Case", r, err)
			if !strings.Contains(err.Error(), "revision of case "+a.String()) {
				t.Fatalf("error does not say which record: %v", err)
			}
			r, err = v.CaseRevision(a, 2)
			coreWantTampered(t, "CaseRevision 2", r, err)
			h, err := v.History(a)
			coreWantTampered(t, "History", h, err)
			_, err = v.UpdateCase(a, coreCase(t, coreIvan))
			coreWantTampered(t, "UpdateCase", nil, err)
			// The intact revision and the other case still open.
			if r, err := v.CaseRevision(a, 1); err != nil || r.Rev != 1 {
				t.Fatalf("revision 1: %v", err)
			}
		})
	}
}

func TestTamperRevisionMovedToAnotherCase(t *testing.T) {
	v, a, b := coreTwoCases(t)
	// b's current revision overwritten by a's revision with the same number.
	coreSetRaw(t, v, revisionKey(b, 2), coreRaw(t, v, revisionKey(a, 2)))
	r, err := v.Case(b)
	coreWantTampered(t, "Case(b) holding a's revision", r, err)

	// A whole case transplanted: a's wrapped data key and revisions under
	// b's keys. The wrapped key is bound to a's ID, so it does not unwrap.
	coreSetRaw(t, v, caseKeyKey(b), coreRaw(t, v, caseKeyKey(a)))
	coreSetRaw(t, v, revisionKey(b, 1), coreRaw(t, v, revisionKey(a, 1)))
	coreSetRaw(t, v, revisionKey(b, 2), coreRaw(t, v, revisionKey(a, 2)))
	r, err = v.Case(b)
	coreWantTampered(t, "Case(b) with a's key and revisions", r, err)
	if r, err := v.Case(a); err != nil || r.CaseID != a.String() {
		t.Fatalf("a itself: %v", err)
	}
}

func TestTamperOldRevisionReplayedAsCurrent(t *testing.T) {
	v, a, _ := coreTwoCases(t)
	old := coreRaw(t, v, revisionKey(a, 1))
	// Replayed over the current revision.
	coreSetRaw(t, v, revisionKey(a, 2), old)
	r, err := v.Case(a)
	coreWantTampered(t, "rev 1 replayed as rev 2", r, err)
	if r, err := v.CaseRevision(a, 1); err != nil || r.Rev != 1 {
		t.Fatalf("revision 1 itself: %v", err)
	}
}

func TestTamperRevisionReplayedAsNewer(t *testing.T) {
	v, a, _ := coreTwoCases(t)
	// An old revision added as a new, higher revision.
	coreSetRaw(t, v, revisionKey(a, 3), coreRaw(t, v, revisionKey(a, 1)))
	r, err := v.Case(a)
	coreWantTampered(t, "rev 1 replayed as rev 3", r, err)
	_, err = v.UpdateCase(a, coreCase(t, coreIvan))
	coreWantTampered(t, "update on top of a replayed revision", nil, err)
}

func TestTamperSummaryAndIndex(t *testing.T) {
	v, a, b := coreTwoCases(t)
	coreSetRaw(t, v, summaryKey(b), coreRaw(t, v, summaryKey(a)))
	list, err := v.ListCases(Filter{})
	coreWantTampered(t, "ListCases with a's summary under b", nil, err)
	if len(list) > 1 {
		t.Fatalf("list returned %d summaries with the error", len(list))
	}
	if _, err := v.Search("omsk"); !errors.Is(err, ErrTampered) {
		t.Fatalf("Search over a moved summary: %v", err)
	}
}

func TestTamperCaseKey(t *testing.T) {
	v, a, _ := coreTwoCases(t)
	w := coreRaw(t, v, caseKeyKey(a))
	w[len(w)/2] ^= 1
	coreSetRaw(t, v, caseKeyKey(a), w)
	r, err := v.Case(a)
	coreWantTampered(t, "flipped wrapped case key", r, err)
	if err := v.RemoveCase(a); !errors.Is(err, ErrTampered) {
		t.Fatalf("RemoveCase: %v", err)
	}
}

func TestTamperMetaFailsOpen(t *testing.T) {
	dir, v := coreInit(t, true)
	m := coreRaw(t, v, metaKey())
	m[len(m)-3] ^= 1
	coreSetRaw(t, v, metaKey(), m)
	v.Close()
	_, err := Open(dir, corePassphrase(corePass), Options{})
	coreWantTampered(t, "Open with damaged meta", nil, err)
	coreOpenAfter := func() { // the failed Open released the lock
		v, err := Open(dir, corePassphrase(corePass), Options{})
		if err == nil {
			v.Close()
		}
		if errors.Is(err, ErrInUse) {
			t.Fatal("failed Open kept the lock")
		}
	}
	coreOpenAfter()
}

func TestTamperAuditEntry(t *testing.T) {
	v, _, _ := coreTwoCases(t)
	coreVerifyAudit(t, v, 5)
	// A flipped byte in entry 3.
	e := coreRaw(t, v, auditKey(3))
	e[30] ^= 1
	coreSetRaw(t, v, auditKey(3), e)
	_, err := v.VerifyAudit(context.Background())
	var brk *AuditBreak
	if !errors.As(err, &brk) || brk.Seq != 3 {
		t.Fatalf("VerifyAudit with entry 3 flipped: %v", err)
	}
}

func TestTamperAuditEntrySwapped(t *testing.T) {
	v, _, _ := coreTwoCases(t)
	e2, e3 := coreRaw(t, v, auditKey(2)), coreRaw(t, v, auditKey(3))
	coreSetRaw(t, v, auditKey(2), e3)
	coreSetRaw(t, v, auditKey(3), e2)
	_, err := v.VerifyAudit(context.Background())
	var brk *AuditBreak
	if !errors.As(err, &brk) || brk.Seq != 2 {
		t.Fatalf("VerifyAudit with entries 2 and 3 swapped: %v", err)
	}
}

// A damaged master.age or identity.age is damage (*CorruptError, naming
// the file), not a wrong identity or passphrase: the user's key is right.
func TestTamperKeyFiles(t *testing.T) {
	for _, tc := range []struct {
		file  string
		where string
	}{
		{masterFile, "payload"}, {masterFile, "stanza"}, {masterFile, "header mac"},
		{identityFile, "payload"}, {identityFile, "header mac"},
	} {
		t.Run(tc.file+" "+tc.where, func(t *testing.T) {
			for _, classic := range []bool{true, false} {
				dir, v := coreInit(t, classic)
				v.Close()
				p := dir + "/" + tc.file
				b, _ := os.ReadFile(p)
				lines := bytes.SplitAfter(b, []byte("\n"))
				switch tc.where {
				case "payload":
					b[len(b)-2] ^= 1
				case "stanza": // the body line of the first recipient stanza
					lines[2][3] ^= 1
					b = bytes.Join(lines, nil)
				case "header mac": // "--- MAC"
					for _, l := range lines {
						if bytes.HasPrefix(l, []byte("--- ")) {
							l[6] ^= 1
							break
						}
					}
					b = bytes.Join(lines, nil)
				}
				os.WriteFile(p, b, 0o600)
				_, err := Open(dir, corePassphrase(corePass), Options{})
				var ce *CorruptError
				if !errors.As(err, &ce) || errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrWrongIdentity) {
					t.Fatalf("classic=%v: Open: %v; want *CorruptError", classic, err)
				}
				if !strings.Contains(err.Error(), tc.file) {
					t.Fatalf("error does not name %s: %v", tc.file, err)
				}
				if strings.Contains(err.Error(), "AGE-SECRET") {
					t.Fatalf("error leaks the identity: %v", err)
				}
			}
		})
	}
}

// A missing store directory is damage; Open does not create an empty store
// in its place.
func TestOpenMissingStore(t *testing.T) {
	dir, v := coreInit(t, true)
	db := v.dbName
	v.Close()
	if err := os.RemoveAll(dir + "/" + db); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, corePassphrase(corePass), Options{})
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), db) {
		t.Fatalf("Open without its store: %v; want *CorruptError naming %s", err, db)
	}
	if _, err := os.Stat(dir + "/" + db); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open created %s: %v", db, err)
	}
}
