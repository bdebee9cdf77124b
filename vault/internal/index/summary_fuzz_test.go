package index

import (
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeSummary decodes arbitrary plaintexts as a summary record (in
// the binary forms of versions 2 and 3 and the JSON form): it must fail cleanly, and what it
// accepts in binary form re-encodes to a record that decodes the same;
// DecodeSummaryReuse decodes it as DecodeSummary does.
func FuzzDecodeSummary(f *testing.F) {
	s := Summary{ID: "cabcdefghijklmnop", Name: "Иван", NameNative: "x", Status: "sentenced", Rev: 3, Origin: "Org", Updated: time.Unix(1700000000, 5).UTC()}
	f.Add(EncodeSummary(s))
	f.Add([]byte(`{"id":"c","name":"A","updated":"2026-01-01T00:00:00Z","rev":1}`))
	f.Add([]byte{summaryVersion})
	f.Add([]byte(`{"id":"c","articles":[],"facilities":["x"]}`))
	v3 := s
	v3.Articles = []string{"RU-CC 207.3(2)", "RU-CC 280.3(1)"}
	v3.Region, v3.Consent, v3.FirstDetained = "Omsk region", "full", "2022-04-11"
	v3.Facilities = []string{"IK-6, Omsk region", "СИЗО-1"}
	v3.Mistreatment = []string{"beating"}
	v3.Conditions = []string{"overcrowding", "solitary-confinement"}
	f.Add(EncodeSummary(v3))
	f.Add(EncodeSummary(Summary{ID: "c"}))
	f.Add(encodeSummaryV2(s))
	reused := v3 // DecodeSummaryReuse over a summary with lists to reuse
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Summary
		err := DecodeSummary(b, &s)
		// DecodeSummaryReuse accepts what DecodeSummary accepts and gives
		// the same summary, whatever *s held.
		rerr := DecodeSummaryReuse(b, &reused)
		if (err == nil) != (rerr == nil) || err == nil && !reflect.DeepEqual(reused, s) {
			t.Fatalf("DecodeSummaryReuse: %+v, %v; DecodeSummary: %+v, %v", reused, rerr, s, err)
		}
		if err != nil || (len(b) > 0 && b[0] == '{') {
			return
		}
		s.complete = true // a version 2 record is written again as version 3
		var again Summary
		if err := DecodeSummary(EncodeSummary(s), &again); err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("summary does not round-trip: %+v -> %+v, %v", s, again, err)
		}
	})
}
