package schema

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkParseBombs measures what refusing (or reading) hostile case
// files of up to 4 MiB costs: go test -bench ParseBombs -benchmem ./schema
// (testdata/bench/bombs.sh measures whole commands, peak RSS included).
func BenchmarkParseBombs(b *testing.B) {
	bomb, err := os.ReadFile("testdata/bomb.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var keys bytes.Buffer
	for i := 0; i < 300000; i++ {
		fmt.Fprintf(&keys, "k%d: v\n", i)
	}
	inputs := []struct {
		name string
		data []byte
	}{
		{"alias-bomb", bomb},
		{"brackets-4MiB", bytes.Repeat([]byte("["), MaxCaseFileSize)},
		{"objects-4MiB", bytes.Repeat([]byte(`{"a":`), MaxCaseFileSize/5)},
		{"keys-300k", keys.Bytes()},
		{"items-1M", append([]byte("person: {name: A}\nnotes: ["), bytes.Repeat([]byte("1,"), 1<<20)...)},
		{"dq-tabs-refused-4MiB", append(append([]byte("person: {name: A}\nnotes: \""), bytes.Repeat([]byte("\t"), MaxCaseFileSize-40)...), '"', '\n')},
		{"dq-tabs-at-limit", append(append([]byte("person: {name: A}\nnotes: \""), bytes.Repeat([]byte("\t"), 2800)...), '"', '\n')},
		{"block-lead-blank-refused-4MiB", append([]byte("person: {name: A}\nnotes: >\n"), bytes.Repeat([]byte(" \n"), MaxCaseFileSize/2-40)...)},
		{"block-lead-blank-at-limit-4MiB", append([]byte("person: {name: A}\nnotes:\n"), bytes.Repeat([]byte("- |\n"+strings.Repeat("   \n", 16)+"  y\n"), 40000)...)},
		{"long-text-4MiB", append(append([]byte("person: {name: A}\nnotes: \""), bytes.Repeat([]byte("word, [x] "), MaxCaseFileSize/10-10)...), '"', '\n')},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				Parse(in.data)
			}
		})
	}
	b.Run("long-text-4MiB/decode-only", func(b *testing.B) {
		data := inputs[len(inputs)-1].data
		for b.Loop() {
			decodeYAML(data)
		}
	})
}
