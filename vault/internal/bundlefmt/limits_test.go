package bundlefmt

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/ids"
)

// exportManifest is a well-formed manifest of one case and one evidence
// file of the given size.
func exportManifest(t *testing.T, evidenceSize int64) (*Manifest, []byte) {
	t.Helper()
	m := &Manifest{Format: Format, Version: Version, BundleID: ids.NewBundleID().String(),
		Sender:    Party{Org: "Alpha", Recipient: "age1x", VerifyKey: make([]byte, 32)},
		Recipient: Party{Org: "Beta", Recipient: "age1y"},
		AuditHead: AuditHead{Seq: 1, Hash: strings.Repeat("ab", 32)},
		Entries: []ManifestEntry{
			{Name: "cases/" + ids.NewCaseID().String() + ".json", Kind: KindCase, Size: 100, SHA256: strings.Repeat("cd", 32)},
			{Name: "evidence/" + ids.NewEvidenceID().String() + ".bin", Kind: KindEvidence, Size: evidenceSize, SHA256: strings.Repeat("ef", 32)},
		}}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return m, raw
}

// Evidence over the 4 GiB a bundle entry may hold is refused at export,
// naming the file and the limit, instead of making a bundle every
// recipient refuses. The check is the recipient's own (ParseManifest).
func TestExportRefusesWhatRecipientsRefuse(t *testing.T) {
	m, raw := exportManifest(t, 4<<30)
	if err := CheckExportLimits(m, raw, DefaultLimits); err != nil {
		t.Fatalf("4 GiB exactly: %v", err)
	}
	if _, err := ParseManifest(raw, DefaultLimits); err != nil {
		t.Fatalf("recipient refuses the 4 GiB manifest: %v", err)
	}
	m, raw = exportManifest(t, 4<<30+1)
	if _, err := ParseManifest(raw, DefaultLimits); err == nil {
		t.Fatal("recipient accepts evidence over 4 GiB: the export check is pointless")
	}
	err := CheckExportLimits(m, raw, DefaultLimits)
	var ele *ExportLimitError
	if !errors.As(err, &ele) || !strings.Contains(err.Error(), m.Entries[1].Name) || !strings.Contains(err.Error(), "4 GiB") {
		t.Fatalf("CheckExportLimits(4 GiB + 1) = %v, want an ExportLimitError naming the file and the limit", err)
	}
	// Too many entries, caught by the recipient's check.
	lim := DefaultLimits
	lim.Entries = 1
	m, raw = exportManifest(t, 10)
	if err := CheckExportLimits(m, raw, lim); !errors.As(err, &ele) || !strings.Contains(err.Error(), "entries") {
		t.Fatalf("too many entries: %v", err)
	}
}
