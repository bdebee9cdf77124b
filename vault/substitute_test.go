package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
)

// treeState lists every file below dir with its mode, size, modification
// time and a hash of its content: any change shows in it.
func treeState(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		line := fmt.Sprintf("%s %v %d %d", rel, info.Mode(), info.Size(), info.ModTime().UnixNano())
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// substituteStore does the attack of issue 11: with write access to the
// victim's vault directory and its public card, the attacker makes a store
// of their own (whose meta even names the victim's keys), encrypts its
// master.age to the victim's recipient and copies both in. replaceReal
// also removes the real store, so that the planted one is the only one.
func substituteStore(t *testing.T, victimDir string, card *Card, sameName, replaceReal bool) {
	t.Helper()
	attackerDir := filepath.Join(t.TempDir(), "attacker")
	a, err := Init(attackerDir, InitOptions{Org: "Victim Org", Classic: true, Passphrase: []byte("attacker pass"), Options: Options{Author: "attacker"}})
	if err != nil {
		t.Fatal(err)
	}
	// The meta names the victim's public keys, as on its card.
	if err := a.commit(func(c *change) error {
		c.audit("case.add", nil, nil)
		return c.putJSON(metaKey(), a.keys.sys, Meta{Org: card.Org, Recipient: card.Recipient, VerifyKey: card.VerifyKey})
	}); err != nil {
		t.Fatal(err)
	}
	coreAdd(t, a, "person: {name: Planted Case}\n")
	mk, dbName := a.mk, a.dbName
	a.Close()
	names, _ := storeNames(victimDir)
	if len(names) != 1 {
		t.Fatalf("victim stores %v", names)
	}
	if sameName {
		if err := os.Rename(filepath.Join(attackerDir, dbName), filepath.Join(attackerDir, names[0])); err != nil {
			t.Fatal(err)
		}
		dbName = names[0]
	}
	if replaceReal {
		if err := os.RemoveAll(filepath.Join(victimDir, names[0])); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(filepath.Join(attackerDir, dbName), filepath.Join(victimDir, dbName)); err != nil {
		t.Fatal(err)
	}
	rcpt, err := crypto.ParseRecipient(card.Recipient)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := marshalJSON(masterPayload{Version: 1, MasterKey: mk[:], DB: dbName})
	ct, err := crypto.EncryptToRecipients(payload, rcpt)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(victimDir, masterFile), ct, 0o600); err != nil {
		t.Fatal(err)
	}
	if !sameName {
		// A copy of the victim's binding under the planted store's name.
		b, err := os.ReadFile(filepath.Join(victimDir, bindingFile(names[0])))
		if err == nil && replaceReal {
			_ = os.WriteFile(filepath.Join(victimDir, bindingFile(dbName)), b, 0o600)
		}
	}
}

func TestSubstitutedStoreRefused(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		legacy, same, replace bool
	}{
		{"beside the real store", false, false, false},
		{"in place of the real store", false, true, true},
		{"only store, copied binding", false, false, true},
		{"legacy vault, beside", true, false, false},
		{"legacy vault, only store", true, false, true},
		{"legacy vault, same name", true, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, v := coreInit(t, true)
			id := coreAdd(t, v, "person: {name: Real Case}\n")
			cardJSON, err := v.Card()
			if err != nil {
				t.Fatal(err)
			}
			card, err := ParseCard(cardJSON)
			if err != nil {
				t.Fatal(err)
			}
			v.Close()
			if tc.legacy {
				// A vault made before bindings: no binding file.
				names, _ := storeNames(dir)
				if err := os.Remove(filepath.Join(dir, bindingFile(names[0]))); err != nil {
					t.Fatal(err)
				}
			}
			realStores, _ := storeNames(dir)
			realDir := filepath.Join(dir, realStores[0])
			var realBefore string
			if !tc.replace {
				realBefore = treeState(t, realDir)
			}
			substituteStore(t, dir, card, tc.same, tc.replace)
			before := treeState(t, dir)

			for _, ro := range []bool{true, false} {
				_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
				var ce *CorruptError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), "store binding") {
					t.Fatalf("Open (read-only %v) of a substituted store = %v, want a store binding damage error", ro, err)
				}
			}
			if after := treeState(t, dir); after != before {
				t.Errorf("the refused open changed the vault directory:\nbefore\n%s\nafter\n%s", before, after)
			}
			if !tc.replace {
				if got := treeState(t, realDir); got != realBefore {
					t.Errorf("the real store was changed")
				}
			}
			_ = id
		})
	}
}

// TestBindingMigration opens a vault without a binding (made before
// bindings existed): the first open binds it, and a later substitution is
// refused.
func TestBindingMigration(t *testing.T) {
	dir, u := legacyVault(t)
	names, _ := storeNames(dir)
	if _, err := os.Stat(filepath.Join(dir, bindingFile(names[0]))); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("fixture already has a binding: %v", err)
	}
	v, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	if _, err := os.Stat(filepath.Join(dir, bindingFile(names[0]))); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a read-only open bound the store: %v", err)
	}
	v, err = Open(dir, u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, bindingFile(names[0]))); err != nil {
		t.Fatalf("first writer did not bind the store: %v", err)
	}
	var ops []string
	_ = v.AuditEntries(func(e AuditEntry) error {
		if e.Op != OpIndexRebuild { // the index of the same old vault is rebuilt after the binding
			ops = append(ops, string(e.Op))
		}
		return nil
	})
	if len(ops) == 0 || ops[len(ops)-1] != string(opStoreBind) {
		t.Fatalf("audit ops after binding = %v, want a final %s", ops, opStoreBind)
	}
	cj, _ := v.Card()
	card, _ := ParseCard(cj)
	v.Close()
	// Issue 11 attack 02 on a migrated vault: the binding removed, the
	// store.bind entry refuses trust on first use again.
	if err := os.Remove(filepath.Join(dir, bindingFile(names[0]))); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, dir)
	for _, ro := range []bool{true, false} {
		_, err := Open(dir, u, Options{ReadOnly: ro})
		if err == nil || !strings.Contains(err.Error(), "records that the store was bound") {
			t.Fatalf("Open (read-only %v) of a migrated vault without its binding = %v", ro, err)
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the refused open changed the vault directory")
	}
	substituteStore(t, dir, card, false, true)
	if _, err := Open(dir, u, Options{}); err == nil || !strings.Contains(err.Error(), "store binding") {
		t.Fatalf("Open after substitution = %v", err)
	}
}

// TestRemovedBindingRefused is attack 02 of issue 11: deleting store-*.sig
// of a vault made with bindings must not re-enable trust on first use.
func TestRemovedBindingRefused(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: Real Case}\n")
	v.Close()
	names, _ := storeNames(dir)
	if err := os.Remove(filepath.Join(dir, bindingFile(names[0]))); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, dir)
	for _, ro := range []bool{true, false} {
		_, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: ro})
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "shows a vault made with bindings") {
			t.Fatalf("Open (read-only %v) without the binding = %v, want a store binding damage error", ro, err)
		}
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the refused open changed the vault directory:\nbefore\n%s\nafter\n%s", before, after)
	}
}

// TestBindingSurvivesRekeyAndRestore: rekey binds the new store, restore
// binds the restored one, and neither leaves a stale binding.
func TestBindingSurvivesRekeyAndRestore(t *testing.T) {
	dir, v := coreInit(t, true)
	coreAdd(t, v, "person: {name: A & B}\n")
	if _, err := v.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if _, err := v.Backup(context.Background(), &backup, nil); err != nil {
		t.Fatal(err)
	}
	v.Close()
	ents, _ := filepath.Glob(filepath.Join(dir, "store-*.sig"))
	if len(ents) != 1 {
		t.Fatalf("bindings after rekey: %v", ents)
	}
	coreOpen(t, dir).Close()
	dst := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(context.Background(), &backup, dst, corePassphrase(corePass), Options{}); err != nil {
		t.Fatal(err)
	}
	ents, _ = filepath.Glob(filepath.Join(dst, "store-*.sig"))
	if len(ents) != 1 {
		t.Fatalf("bindings after restore: %v", ents)
	}
	coreOpen(t, dst).Close()
}
