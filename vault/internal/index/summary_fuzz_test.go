package index

import (
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeSummary decodes arbitrary plaintexts as a summary record (in
// both the binary and the JSON form): it must fail cleanly, and what it
// accepts in binary form re-encodes to a record that decodes the same.
func FuzzDecodeSummary(f *testing.F) {
	s := Summary{ID: "cabcdefghijklmnop", Name: "Иван", NameNative: "x", Status: "sentenced", Rev: 3, Origin: "Org", Updated: time.Unix(1700000000, 5).UTC()}
	f.Add(EncodeSummary(s))
	f.Add([]byte(`{"id":"c","name":"A","updated":"2026-01-01T00:00:00Z","rev":1}`))
	f.Add([]byte{summaryVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Summary
		if err := DecodeSummary(b, &s); err != nil || (len(b) > 0 && b[0] == '{') {
			return
		}
		var again Summary
		if err := DecodeSummary(EncodeSummary(s), &again); err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("summary does not round-trip: %+v -> %+v, %v", s, again, err)
		}
	})
}
