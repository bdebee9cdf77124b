package vault

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks of the case operations on a vault holding 10,000 cases:
//
//	go test -run '^$' -bench 'Core' -benchmem ./vault
//
// The cases are made up: a name, a native name, a region, a facility, a
// charge and a status each, with words drawn from small lists so that some
// search terms hit a few cases and others thousands.

const coreBenchCases = 10000

var (
	benchFirst   = []string{"Ivan", "Pyotr", "Anna", "Maria", "Oleg", "Yulia", "Sergei", "Olga", "Dmitry", "Elena"}
	benchLast    = []string{"Petrov", "Ivanova", "Smirnov", "Kuznetsova", "Popov", "Sokolova", "Lebedev", "Kozlova"}
	benchRegions = []string{"Omsk", "Moscow", "Tver", "Kazan", "Perm", "Tomsk", "Samara", "Ufa", "Kursk", "Orel"}
	benchStatus  = []string{"pretrial", "sentenced", "released", "exchanged", "wanted"}
)

func coreBenchDoc(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	return fmt.Sprintf(`person:
  name: %s %s-%d
  name_native: Имя Фамилия-%d
  region: %s
charges:
  - code: RU-CC
    article: "%d.%d"
    title: Article title number %d
detention:
  - kind: pretrial
    facility: SIZO-%d, %s
status: %s
publication:
  summary: Public summary of case %d, a lawyer and journalist.
`, benchFirst[r.IntN(len(benchFirst))], benchLast[r.IntN(len(benchLast))], i, i,
		benchRegions[r.IntN(len(benchRegions))], 200+r.IntN(100), r.IntN(5), i,
		r.IntN(20), benchRegions[r.IntN(len(benchRegions))], benchStatus[r.IntN(len(benchStatus))], i)
}

// coreBenchVault returns an open vault with n cases, added 250 to a
// transaction, and their IDs.
func coreBenchVault(b *testing.B, n int) (*Vault, []CaseID) {
	b.Helper()
	_, v := coreInit(b, true)
	ids := make([]CaseID, 0, n)
	for start := 0; start < n; start += 250 {
		err := v.commit(func(c *change) error {
			for i := start; i < min(start+250, n); i++ {
				id, err := c.addCase(coreCase(b, coreBenchDoc(i)), AddOptions{})
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return v, ids
}

func BenchmarkCoreAddCase(b *testing.B) {
	v, _ := coreBenchVault(b, coreBenchCases)
	docs := make([]string, 64)
	for i := range docs {
		docs[i] = coreBenchDoc(coreBenchCases + i)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := v.AddCase(coreCase(b, docs[i%len(docs)])); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCoreShowCase(b *testing.B) {
	v, ids := coreBenchVault(b, coreBenchCases)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r, err := v.Case(ids[(i*7919)%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Case(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCoreListCases(b *testing.B) {
	v, _ := coreBenchVault(b, coreBenchCases)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			l, err := v.ListCases(Filter{})
			if err != nil || len(l) != coreBenchCases {
				b.Fatal(len(l), err)
			}
		}
	})
	b.Run("status", func(b *testing.B) {
		for b.Loop() {
			if _, err := v.ListCases(Filter{Status: "sentenced"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCoreSearch(b *testing.B) {
	v, _ := coreBenchVault(b, coreBenchCases)
	for _, q := range []string{"ФАМИЛИЯ-4242", "omsk", "ivan omsk sentenced", "nobody"} {
		n := 0
		if l, err := v.Search(q); err == nil {
			n = len(l)
		}
		b.Run(fmt.Sprintf("%s(%d hits)", q, n), func(b *testing.B) {
			for b.Loop() {
				if _, err := v.Search(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
