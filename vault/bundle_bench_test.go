package vault

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkBundleEvidence exports and imports a bundle holding one case
// with a 64 MiB evidence file between two vaults, and reports the rate.
//
//	go test -run '^$' -bench BundleEvidence -benchtime 3x ./vault
func BenchmarkBundleEvidence(b *testing.B) {
	const size = 64 << 20
	data := randomData(size)
	var exp, imp time.Duration
	n := 0
	for b.Loop() {
		a, bv := benchPartners(b)
		id := addCaseText(b, a, "person: {name: Bench Person}\n")
		m, err := a.AddEvidence(context.Background(), id, bytes.NewReader(data), EvidenceInput{Name: "video.mp4"})
		if err != nil {
			b.Fatal(err)
		}
		doc := testCase(b, "Bench Person", "Бенч", "pretrial")
		doc.Doc["mistreatment"] = []any{map[string]any{"date": "2024-01-01", "evidence": []any{m.ID}}}
		if _, err := a.UpdateCase(id, doc); err != nil {
			b.Fatal(err)
		}
		if _, err := a.ShareCase(id, "Beta Rights", nil); err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(b.TempDir(), "b.age")
		t0 := time.Now()
		if _, err := a.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: out}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := bv.ImportBundle(context.Background(), out); err != nil {
			b.Fatal(err)
		}
		exp += t1.Sub(t0)
		imp += time.Since(t1)
		n++
		os.Remove(out)
	}
	b.ReportMetric(float64(size)/(1<<20)/(exp.Seconds()/float64(n)), "export-MiB/s")
	b.ReportMetric(float64(size)/(1<<20)/(imp.Seconds()/float64(n)), "import-MiB/s")
}

// BenchmarkBundleCases exports and imports bundles of n shared cases (a
// full case document each) in one transaction, to show how many cases one
// bundle can carry before Badger's transaction limit.
//
//	go test -run '^$' -bench BundleCases -benchtime 1x ./vault
func BenchmarkBundleCases(b *testing.B) {
	for _, n := range []int{100, 500, 1000, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				a, bv := benchPartners(b)
				for i := 0; i < n; i++ {
					id := addCaseText(b, a, strings.Replace(fullCase, "Ivan Petrov", fmt.Sprintf("Ivan Petrov %d", i), 1))
					if _, err := a.ShareCase(id, "Beta Rights", nil); err != nil {
						b.Fatal(err)
					}
				}
				out := filepath.Join(b.TempDir(), "b.age")
				res, err := a.ExportBundle(context.Background(), ExportBundleOptions{To: "Beta Rights", Out: out})
				if err != nil {
					b.Fatal(err)
				}
				t0 := time.Now()
				_, err = bv.ImportBundle(context.Background(), out)
				b.ReportMetric(float64(res.Size), "bundle-bytes")
				b.ReportMetric(time.Since(t0).Seconds(), "import-s")
				if err != nil {
					b.Logf("%d cases: %v", n, err)
					b.ReportMetric(0, "imported")
				} else {
					b.ReportMetric(1, "imported")
				}
			}
		})
	}
}

func benchPartners(b *testing.B) (*Vault, *Vault) {
	b.Helper()
	a := newOrgVault(b, "Alpha Defence", nil)
	bv := newOrgVault(b, "Beta Rights", nil)
	introduceB(b, a, bv)
	introduceB(b, bv, a)
	return a, bv
}

func introduceB(b *testing.B, to, from *Vault) {
	b.Helper()
	data, err := from.Card()
	if err != nil {
		b.Fatal(err)
	}
	c, err := ParseCard(data)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := to.AddOrg(c); err != nil {
		b.Fatal(err)
	}
}
