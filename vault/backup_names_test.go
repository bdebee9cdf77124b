package vault

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/casevault/casevault/vault/internal/backupfmt"
)

// The backup codec's key-file names and bounds are the vault's.
func TestBackupCodecConstants(t *testing.T) {
	if backupfmt.IdentityFile != identityFile || backupfmt.MasterFile != masterFile || backupfmt.MaxKeyFile != maxKeyFile {
		t.Fatalf("backup codec key files %q %q %d, vault %q %q %d",
			backupfmt.IdentityFile, backupfmt.MasterFile, backupfmt.MaxKeyFile, identityFile, masterFile, maxKeyFile)
	}
	if backupfmt.JSONLimits != jsonLimits {
		t.Fatalf("backup codec JSON limits %+v, vault %+v", backupfmt.JSONLimits, jsonLimits)
	}
}

// FuzzBackupStore feeds arbitrary store streams (the 'D' part of a backup
// payload, which backupfmt passes through unchecked) to the frame checker
// restore puts in front of Badger's loader: it must not panic, must fail
// with a *BackupError, and whatever it passes on is a whole number of
// frames of the input.
func FuzzBackupStore(f *testing.F) {
	v := newTestVault(f)
	if _, err := v.AddCase(testCase(f, "Seed", "Сид", "pretrial")); err != nil {
		f.Fatal(err)
	}
	var real bytes.Buffer
	if err := v.db.Backup(&real); err != nil {
		f.Fatal(err)
	}
	f.Add(real.Bytes())
	f.Add(real.Bytes()[:real.Len()/2])
	f.Add(make([]byte, 8))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := io.ReadAll(checkedStoreStream(bytes.NewReader(data)))
		var be *BackupError
		if err != nil && !errors.As(err, &be) {
			t.Fatalf("error is not a *BackupError: %T %v", err, err)
		}
		if !bytes.HasPrefix(data, out) {
			t.Fatalf("passed on %d bytes that are not a prefix of the input", len(out))
		}
	})
}
