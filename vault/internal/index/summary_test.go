package index

import (
	"encoding/binary"
	"testing"
)

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

// encodeSummaryV2 writes a summary as casevault wrote it before version 3
// (for the tests that read old records).
func encodeSummaryV2(s Summary) []byte {
	b := []byte{summaryVersionV2}
	b = binary.BigEndian.AppendUint32(b, s.Rev)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Updated.UnixNano()))
	for _, f := range []string{s.ID, s.Name, s.NameNative, s.Status, s.Origin} {
		b = appendString(b, f)
	}
	return b
}
