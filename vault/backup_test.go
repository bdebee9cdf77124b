package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/backupfmt"
)

func passUnlock(p []byte) Unlock {
	return Unlock{Passphrase: func() ([]byte, error) { return bytes.Clone(p), nil }}
}

// backupFixture is a vault with cases, revisions, an evidence file in
// blobs/ and a backup of it.
func backupFixture(t *testing.T) (*Vault, []byte, string) {
	t.Helper()
	v := newTestVault(t)
	for i := range 40 {
		id, err := v.AddCase(testCase(t, fmt.Sprintf("Person %d", i), "Пётр Иванов", "pretrial"))
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := v.UpdateCase(id, testCase(t, fmt.Sprintf("Person %d", i), "Пётр Иванов", "sentenced")); err != nil {
				t.Fatal(err)
			}
		}
	}
	ids, _ := v.CaseIDs()
	blob := bytes.Repeat([]byte("evidence bytes "), 200000) // several chunks
	if _, err := v.AddEvidence(context.Background(), ids[0], bytes.NewReader(blob), EvidenceInput{Name: "report.txt"}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddEvidence(context.Background(), ids[1], bytes.NewReader([]byte("small")), EvidenceInput{Name: "small.txt"}); err != nil {
		t.Fatal(err)
	}
	// An orphan evidence file, as an interrupted add leaves it: backed up
	// and restored as it is, and no reason to refuse the restore.
	if err := os.WriteFile(filepath.Join(v.Dir(), blobDir, "0123456789abcdef0123456789abcdef"), []byte("orphan"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := vaultContent(t, v, "петр", "status:sentenced")
	var buf bytes.Buffer
	var last int64
	m, err := v.Backup(context.Background(), &buf, func(n int64) { last = n })
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(buf.Len()) {
		t.Fatalf("progress ended at %d of %d bytes", last, buf.Len())
	}
	if m.Cases != 40 || m.Revisions != 54 || m.Evidence != 2 || m.EvidenceFile != 3 {
		t.Fatalf("manifest %+v", m)
	}
	if bytes.Contains(buf.Bytes(), []byte("Person")) || bytes.Contains(buf.Bytes(), []byte("evidence bytes")) {
		t.Fatal("backup holds plaintext")
	}
	return v, buf.Bytes(), want
}

func TestBackupRoundTrip(t *testing.T) {
	v, backup, want := backupFixture(t)
	wantOps := auditOps(t, v)
	blobs, _ := v.blobFiles()
	master, _ := os.ReadFile(filepath.Join(v.Dir(), masterFile))

	dir := filepath.Join(t.TempDir(), "restored")
	m, err := Restore(context.Background(), bytes.NewReader(backup), dir, passUnlock(testPass), Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Cases != 40 || m.Org != "Test Group" {
		t.Fatalf("manifest %+v", m)
	}
	r, err := Open(dir, passUnlock(testPass), Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := vaultContent(t, r, "петр", "status:sentenced"); got != want {
		t.Fatalf("restored content differs:\n%s\nwant\n%s", got, want)
	}
	// The restored log is the backed-up one and the restore's own entry.
	if got := auditOps(t, r); len(got) == 0 || fmt.Sprint(got[:len(got)-1]) != fmt.Sprint(wantOps) || len(got) != len(wantOps)+1 || !strings.HasPrefix(got[len(got)-1], string(OpRestore)+" chain ") {
		t.Fatalf("audit differs: %v", got)
	}
	h1, _ := v.AuditHead()
	h2, _ := r.AuditHead()
	if h2.Seq != h1.Seq+1 || m.AuditHead != backupfmt.AuditHead(h1) {
		t.Fatalf("audit head %v, want one after %v", h2, h1)
	}
	for _, b := range blobs {
		want, _ := os.ReadFile(filepath.Join(v.Dir(), blobDir, b))
		if got, err := os.ReadFile(filepath.Join(dir, blobDir, b)); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("evidence file %s differs after restore (%v)", b, err)
		}
	}
	for _, c := range []int{0, 1} {
		ids, _ := v.CaseIDs()
		evs, err := r.EvidenceList(ids[c])
		if err != nil || len(evs) != 1 {
			t.Fatalf("evidence of case %d after restore: %v %v", c, evs, err)
		}
		if err := r.VerifyEvidence(context.Background(), mustEvid(t, evs[0].ID)); err != nil {
			t.Fatalf("restored evidence: %v", err)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, masterFile)); !bytes.Equal(got, master) {
		t.Fatal("master.age differs")
	}
	// The restored vault is writable and can be rekeyed.
	if _, err := r.AddCase(testCase(t, "New One", "Новый", "pretrial")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rekey(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Restoring with the identity instead of the passphrase works too.
	idFile := filepath.Join(t.TempDir(), "id.txt")
	os.WriteFile(idFile, []byte(v.Identity().String()+"\n"), 0o600)
	if _, err := Restore(context.Background(), bytes.NewReader(backup), filepath.Join(t.TempDir(), "r2"), Unlock{IdentityFile: idFile}, Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefuses(t *testing.T) {
	_, backup, _ := backupFixture(t)
	other, _ := crypto.GenerateIdentity(true)
	otherFile := filepath.Join(t.TempDir(), "other.txt")
	os.WriteFile(otherFile, []byte(other.String()+"\n"), 0o600)
	flip := func(off int) []byte {
		b := bytes.Clone(backup)
		b[off] ^= 0x40
		return b
	}
	tests := []struct {
		name   string
		data   []byte
		unlock Unlock
		want   func(error) bool
	}{
		{"wrong passphrase", backup, passUnlock([]byte("nope")), func(err error) bool { return errors.Is(err, ErrWrongPassphrase) }},
		{"other identity", backup, Unlock{IdentityFile: otherFile}, func(err error) bool { return errors.Is(err, ErrWrongIdentity) }},
		{"empty", nil, passUnlock(testPass), isBackupError},
		{"not a backup", []byte("hello world, this is not a backup at all\n"), passUnlock(testPass), isBackupError},
		{"flipped payload", flip(len(backup) / 2), passUnlock(testPass), isBackupError},
		{"flipped end", flip(len(backup) - 3), passUnlock(testPass), isBackupError},
		{"flipped identity", flip(40), passUnlock(testPass), func(err error) bool { return err != nil }},
	}
	for _, cut := range []int{10, 30, 200, len(backup) / 3, len(backup) - 1000, len(backup) - 1} {
		tests = append(tests, struct {
			name   string
			data   []byte
			unlock Unlock
			want   func(error) bool
		}{fmt.Sprintf("truncated at %d", cut), backup[:cut], passUnlock(testPass), isBackupError})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "restored")
			_, err := Restore(context.Background(), bytes.NewReader(tc.data), dir, tc.unlock, Options{})
			t.Logf("%v", err)
			if err == nil || !tc.want(err) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if _, serr := os.Stat(dir); !errors.Is(serr, os.ErrNotExist) {
				t.Fatalf("failed restore left %s behind", dir)
			}
		})
	}
	// A non-empty directory is refused and left alone.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep"), []byte("x"), 0o600)
	if _, err := Restore(context.Background(), bytes.NewReader(backup), dir, passUnlock(testPass), Options{}); !errors.Is(err, ErrVaultExists) {
		t.Fatalf("non-empty dir: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep")); string(b) != "x" {
		t.Fatal("existing file changed")
	}
}

func isBackupError(err error) bool {
	var be *BackupError
	return errors.As(err, &be)
}
