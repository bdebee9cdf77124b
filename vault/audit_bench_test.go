package vault

import (
	"context"
	"fmt"
	"testing"
)

// audBulkEntries appends n entries, 500 per transaction.
func audBulkEntries(b *testing.B, v *Vault, n int) {
	b.Helper()
	for done := 0; done < n; {
		k := min(500, n-done)
		err := v.commit(func(c *change) error {
			for i := range k {
				c.audit("evidence.get", []string{NewEvidenceID().String(), NewCaseID().String()}, []byte(fmt.Sprint(done+i)))
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += k
	}
}

// BenchmarkVerifyAudit measures audit verify over a log of 10,000 and
// 100,000 entries (run with -bench VerifyAudit -benchtime 3x).
func BenchmarkVerifyAudit(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, v := audVault(b, "Bench")
			audBulkEntries(b, v, n-1)
			b.ResetTimer()
			for b.Loop() {
				if got, err := v.VerifyAudit(context.Background()); err != nil || got != n {
					b.Fatal(got, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/entry")
		})
	}
}

// BenchmarkAuditAppendCommit measures one change carrying one audit entry
// (a synchronous Badger commit).
func BenchmarkAuditAppendCommit(b *testing.B) {
	_, v := audVault(b, "Bench")
	for b.Loop() {
		if err := v.commit(func(c *change) error { c.audit("evidence.get", []string{"e"}, nil); return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCustody measures a custody report (two walks of the log and a
// full verification) over a log of 10,000 entries.
func BenchmarkCustody(b *testing.B) {
	_, v := audVault(b, "Bench")
	audBulkEntries(b, v, 10_000)
	e := NewEvidenceID()
	audAppendEntry(b, v, "evidence.add", []string{e.String()}, []byte("x"))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := v.Custody(e, "json"); err != nil {
			b.Fatal(err)
		}
	}
}
