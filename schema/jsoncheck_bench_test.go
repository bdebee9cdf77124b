package schema

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkFromJSONDuplicates measures what the repeated-field scan adds
// to reading an import record: FromJSON in full, and the scan alone, on a
// record of a case with 20 charges (about 2 KB).
func BenchmarkFromJSONDuplicates(b *testing.B) {
	var ch []string
	for i := range 20 {
		ch = append(ch, fmt.Sprintf(`{"article":"%d","date":"2020-01-%02d"}`, 100+i, 1+i%28))
	}
	doc := []byte(`{"schema":"case.v1","person":{"name":"Ivan Petrov","gender":"male","birth_date":"1990-05-01"},"status":"pretrial","charges":[` + strings.Join(ch, ",") + `]}`)
	if _, err := FromJSON(doc); err != nil {
		b.Fatal(err)
	}
	b.Run("FromJSON", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if _, err := FromJSON(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			if err := checkJSONDuplicates(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
