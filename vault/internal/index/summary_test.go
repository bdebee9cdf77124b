package index

import "testing"

func TestSummaryRecord(t *testing.T) {
	s := Summary{ID: "cabcdefghijklmnop", Name: "Иван", NameNative: "x", Status: "sentenced", Rev: 3, Origin: "Org"}
	var got Summary
	if err := DecodeSummary(EncodeSummary(s), &got); err != nil || got.Name != s.Name || got.Rev != 3 || got.Origin != "Org" {
		t.Fatalf("%+v %v", got, err)
	}
	b := EncodeSummary(s)
	for i := range len(b) - 1 {
		if err := DecodeSummary(b[:i], &got); err == nil {
			t.Fatalf("truncated summary of %d bytes decoded", i)
		}
	}
	if err := DecodeSummary([]byte(`{"id":"c","name":"A","updated":"2026-01-01T00:00:00Z","rev":1}`), &got); err != nil || got.Name != "A" {
		t.Fatalf("JSON summary: %+v %v", got, err)
	}
}
