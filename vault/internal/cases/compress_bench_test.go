package cases

import (
	"bufio"
	"os"
	"testing"
)

// BenchmarkCompress compresses and inflates again the case documents of a
// JSON lines file ($CASEVAULT_BENCH_JSONL, such as the first 1,000 lines
// testdata/bench/search.sh generates): what an import does for each new
// case's revision, and a read for each revision it opens. It reports the
// compressed size against the JSON's.
func BenchmarkCompress(b *testing.B) {
	path := os.Getenv("CASEVAULT_BENCH_JSONL")
	if path == "" {
		b.Skip("CASEVAULT_BENCH_JSONL not set")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var docs [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		docs = append(docs, append([]byte(nil), sc.Bytes()...))
	}
	if len(docs) == 0 {
		b.Fatal("no documents")
	}
	in, out := 0, 0
	for _, d := range docs {
		in += len(d)
		out += len(Compress(d))
	}
	b.Run("compress", func(b *testing.B) {
		for i := range b.N {
			Compress(docs[i%len(docs)])
		}
		b.ReportMetric(float64(out)/float64(in), "size/json")
	})
	packed := make([][]byte, len(docs))
	for i, d := range docs {
		packed[i] = Compress(d)
	}
	b.Run("inflate", func(b *testing.B) {
		for i := range b.N {
			if _, err := Decompress(packed[i%len(packed)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
