package vault

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/store"
)

// corePass is the passphrase of every vault made by coreInit.
const corePass = "correct horse battery staple"

func corePassphrase(p string) Unlock {
	return Unlock{Passphrase: func() ([]byte, error) { return []byte(p), nil }}
}

// coreInit creates a vault in a fresh temporary directory and returns it
// open, closing it when the test ends.
func coreInit(t testing.TB, classic bool) (string, *Vault) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "vault")
	v, err := Init(dir, InitOptions{Org: "Test Defence Group", Classic: classic, Passphrase: []byte(corePass), Options: Options{Author: "tester"}})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return dir, v
}

// coreOpen opens the vault in dir with the test passphrase.
func coreOpen(t testing.TB, dir string) *Vault {
	t.Helper()
	v, err := Open(dir, corePassphrase(corePass), Options{Author: "tester"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// coreCase parses a case file (YAML) that must be valid.
func coreCase(t testing.TB, yaml string) *schema.Case {
	t.Helper()
	c, err := schema.Parse([]byte(yaml))
	if err != nil {
		t.Fatalf("schema.Parse: %v\n%s", err, yaml)
	}
	return c
}

func coreAdd(t testing.TB, v *Vault, yaml string) CaseID {
	t.Helper()
	id, err := v.AddCase(coreCase(t, yaml))
	if err != nil {
		t.Fatalf("AddCase: %v", err)
	}
	return id
}

// coreRaw returns the sealed value stored under k, bypassing the AEAD. It
// is the test hook for tampering with the store.
func coreRaw(t testing.TB, v *Vault, k []byte) []byte {
	t.Helper()
	var out []byte
	err := v.db.View(func(txn *store.Txn) error {
		item, err := txn.Get(k)
		if err != nil {
			return err
		}
		out, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		t.Fatalf("raw get %q: %v", k, err)
	}
	return out
}

// coreSetRaw stores a value under k as is, without sealing and without an
// audit entry: what an attacker with the keys to Badger's encryption at
// rest, but not the record keys, could do.
func coreSetRaw(t testing.TB, v *Vault, k, val []byte) {
	t.Helper()
	if err := v.db.Update(func(txn *store.Txn) error { return txn.Set(k, val) }); err != nil {
		t.Fatalf("raw set: %v", err)
	}
}

// coreKeys returns every store key with the given prefix.
func coreKeys(t testing.TB, v *Vault, prefix []byte) [][]byte {
	t.Helper()
	var keys [][]byte
	err := v.db.View(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// coreVerifyAudit requires the audit chain to verify with want entries.
func coreVerifyAudit(t testing.TB, v *Vault, want int) {
	t.Helper()
	n, err := v.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("VerifyAudit after %d entries: %v", n, err)
	}
	if want >= 0 && n != want {
		t.Fatalf("audit chain has %d entries, want %d", n, want)
	}
}

const coreIvan = `schema: case.v1
person:
  name: Ivan Petrov
  name_native: Иван Петров
  region: Omsk
charges:
  - code: RU-CC
    article: "207.3(2)"
    title: "Spreading false information about the armed forces"
detention:
  - kind: pretrial
    facility: "SIZO-1, Omsk"
status: pretrial
`

const coreKaraMurza = `schema: case.v1
person:
  name: Vladimir Kara-Murza
  name_native: Владимир Кара-Мурза
  region: Moscow
charges:
  - code: RU-CC
    article: "275"
    title: "State treason"
detention:
  - kind: colony
    facility: "IK-6, Omsk region"
status: exchanged
`

const coreFyodor = `schema: case.v1
person:
  name: Fyodor Sergeyev
  name_native: Фёдор Сергеев
  region: Tver
status: sentenced
`
