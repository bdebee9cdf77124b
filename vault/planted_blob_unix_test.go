//go:build unix

package vault

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO planted in place of an evidence file used to hang evidence get,
// verify and check for ever (open(2) blocked). Now every reader refuses it
// at once as damage.
func TestPlantedFIFOBlob(t *testing.T) {
	ctx := context.Background()
	v := newTestVault(t)
	c, err := v.AddCase(testCase(t, "Fifo Person", "Фифо", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := v.AddEvidence(ctx, c, bytes.NewReader([]byte("a photo of the cell")), EvidenceInput{Name: "cell.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(v.blobDir())
	if err != nil || len(ents) != 1 {
		t.Fatalf("blobs/: %v %v", ents, err)
	}
	path := filepath.Join(v.blobDir(), ents[0].Name())
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	id, _ := ParseEvidenceID(m.ID)
	if err := v.VerifyEvidence(ctx, id); !errors.Is(err, ErrDamaged) {
		t.Errorf("verify: %v, want damage", err)
	}
	if _, err := v.ReadEvidence(ctx, id, io.Discard); !errors.Is(err, ErrDamaged) {
		t.Errorf("read: %v, want damage", err)
	}
	for _, read := range []bool{false, true} {
		rep, err := v.Check(ctx, CheckOptions{ReadData: read})
		if err != nil || rep.Unrepaired() == 0 {
			t.Errorf("check (read data %v): %+v %v, want a problem", read, rep, err)
		}
	}
	// A backup takes regular files from blobs/ only: it returns (a hang
	// fails the test by its timeout) and carries no FIFO.
	var out bytes.Buffer
	if m, err := v.Backup(ctx, &out, nil); err == nil && m.EvidenceFile != 0 {
		t.Errorf("a backup took %d evidence files from a blobs/ holding only a FIFO", m.EvidenceFile)
	}
}
