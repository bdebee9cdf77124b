package vault

import (
	"context"
	"testing"
)

// BenchmarkReimportUnchanged imports 1,000 generated cases again into the
// vault they were imported into: every record is found by its import key
// record and skipped (the re-import's cost over a first import).
//
//	go test -run '^$' -bench 'Reimport' ./vault
func BenchmarkReimportUnchanged(b *testing.B) {
	path := writeGenerated(b, FormatJSONL, 1000, 3)
	v := newTestVault(b)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
		if err != nil || rep.Added != 0 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// BenchmarkReimportUnkeyed: the first re-import after upgrading, into a
// vault whose 1,000 cases have no import key records (as an earlier
// casevault left them): each case's current revision is read and matched
// by the hash. The key records written are dropped before each round.
func BenchmarkReimportUnkeyed(b *testing.B) {
	path := writeGenerated(b, FormatJSONL, 1000, 3)
	v := newTestVault(b)
	if _, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL}); err != nil {
		b.Fatal(err)
	}
	drop := func() {
		err := v.commit(func(c *change) error {
			c.audit(OpCaseImport, nil, nil)
			return c.deletePrefix([]byte{pImportKey})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		b.StopTimer()
		drop()
		b.StartTimer()
		rep, err := v.Import(context.Background(), path, ImportOptions{Format: FormatJSONL})
		if err != nil || rep.Added != 0 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}
