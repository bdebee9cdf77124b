package vault

import (
	"path/filepath"
	"testing"

	"github.com/casevault/casevault/vault/internal/store"
)

// BenchmarkOpenReadOnly measures a whole read-only open and close of a
// vault of 200 cases (identity from memory, so no scrypt): what the store
// binding, the signed-head check and the store preflight add to every
// command is part of it; BenchmarkStoreChecks measures them alone.
func BenchmarkOpenReadOnly(b *testing.B) {
	dir, v := coreInit(b, true)
	for i := 0; i < 200; i++ {
		coreAdd(b, v, "person: {name: Bench & Case}\nstatus: pretrial\n")
	}
	id := v.Identity()
	v.Close()
	u := Unlock{Identity: id}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v, err := Open(dir, u, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		v.Close()
	}
}

// BenchmarkStoreChecks measures the checks added by issue 11 on an open
// vault: the preflight of the store directory, the binding file and the
// meta and signed audit head.
func BenchmarkStoreChecks(b *testing.B) {
	_, v := coreInit(b, true)
	for i := 0; i < 200; i++ {
		coreAdd(b, v, "person: {name: Bench & Case}\nstatus: pretrial\n")
	}
	path := filepath.Join(v.dir, v.dbName)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := store.Preflight(path, v.keys.badger[:]); err != nil {
			b.Fatal(err)
		}
		if _, err := v.checkBinding(); err != nil {
			b.Fatal(err)
		}
		if err := v.checkStoreIdentity(); err != nil {
			b.Fatal(err)
		}
	}
}
