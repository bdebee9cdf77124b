package vault

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDamagedValueLogEntryDoesNotHang is attack 07 of issue 11: one byte
// flipped in the header of a value-log entry (a case over 64 KiB lives in
// the value log) must give a damage error, and the vault must still
// close (Badger leaked the log's read lock and Close hung forever).
func TestDamagedValueLogEntryDoesNotHang(t *testing.T) {
	dir, v := coreInit(t, true)
	// Random text does not compress below the 64 KiB that keeps a value
	// in the tables.
	noise := make([]byte, 72000)
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	id := coreAdd(t, v, "person: {name: Big}\nnotes: \""+base64.StdEncoding.EncodeToString(noise)+"\"\n")
	v.Close()
	logs, _ := filepath.Glob(filepath.Join(storeDir(t, dir), "*.vlog"))
	var big string
	var size int64
	for _, l := range logs {
		if st, err := os.Stat(l); err == nil && st.Size() > size {
			big, size = l, st.Size()
		}
	}
	if size < 64<<10 {
		t.Fatalf("no value log holds the big case (largest %d bytes)", size)
	}
	f, err := os.OpenFile(big, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0x5a}, 25); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := Open(dir, corePassphrase(corePass), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Case(id)
	var ce *CorruptError
	if err == nil || (!errors.As(err, &ce) && !strings.Contains(err.Error(), "checksum")) {
		t.Errorf("Case of the damaged value = %v, want a damage error", err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Close() }()
	select {
	case <-done:
	case <-time.After(5 * time.Minute): // a hang, not a timing: Close takes milliseconds
		t.Fatal("Close did not return after a damaged value was read")
	}
}
