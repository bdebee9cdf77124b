package audit

import (
	"encoding/hex"
	"testing"
)

// FuzzParseWitnessFile feeds arbitrary bytes to the witness file parser,
// which reads files handed to us by partners: it must never panic, and what
// it accepts must be well formed.
func FuzzParseWitnessFile(f *testing.F) {
	f.Add([]byte(`{"format":"casevault-audit-witness","version":1,"heads":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ParseWitnessFile(data)
		if err != nil {
			return
		}
		if len(w.Heads) == 0 || len(w.HolderVerifyKey) != 32 {
			t.Fatalf("accepted a malformed witness file: %+v", w)
		}
		for _, h := range w.Heads {
			if _, err := hex.DecodeString(h.Hash); err != nil || len(h.Hash) != 64 || h.Seq == 0 {
				t.Fatalf("accepted head %+v", h)
			}
		}
	})
}

// FuzzVerifyCustodyReport feeds arbitrary bytes to the custody report
// checker: it must never panic, and a report it accepts has a valid
// signature over its statement.
func FuzzVerifyCustodyReport(f *testing.F) {
	f.Add([]byte(`{"format":"casevault-custody-report","version":1,"entries":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := VerifyCustodyReport(data)
		if err != nil {
			return
		}
		if r.Format != CustodyFormat || len(r.Sig) != 64 {
			t.Fatalf("accepted %+v", r)
		}
	})
}
