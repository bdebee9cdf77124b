//go:build unix

package vault

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func modeProblems(rep *CheckReport) []string {
	var out []string
	for _, p := range rep.Problems {
		if p.Kind == ProblemMode {
			out = append(out, p.Message)
		}
	}
	return out
}

// TestLooseModesReportedAndRepaired: the legacy fixture's store files were
// made 0644 by Badger; check reports them (read-only open), an open for
// writing makes the store private, and check --repair fixes the rest.
func TestLooseModesReportedAndRepaired(t *testing.T) {
	dir, u := legacyVault(t)
	v, err := Open(dir, u, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := v.Check(context.Background(), CheckOptions{})
	v.Close()
	if err != nil {
		t.Fatal(err)
	}
	loose := modeProblems(rep)
	if len(loose) == 0 || !strings.Contains(strings.Join(loose, "\n"), ".sst can be read by other users (mode -rw-r--r--)") {
		t.Fatalf("loose store files not reported: %v", rep.Problems)
	}
	// Others planted loose: a key file and the evidence directory.
	if err := os.Chmod(filepath.Join(dir, identityFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, blobDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, blobDir), 0o755); err != nil {
		t.Fatal(err)
	}
	v, err = Open(dir, u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	rep, err = v.Check(context.Background(), CheckOptions{Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(modeProblems(rep), "\n")
	if strings.Contains(got, ".sst") {
		t.Errorf("an open for writing left store files loose: %s", got)
	}
	if !strings.Contains(got, "identity.age") || !strings.Contains(got, "blobs") {
		t.Fatalf("planted loose modes not reported: %s", got)
	}
	rep, err = v.Check(context.Background(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l := modeProblems(rep); len(l) != 0 {
		t.Fatalf("check --repair left loose modes: %v", l)
	}
	for _, p := range []string{identityFile, blobDir} {
		fi, _ := os.Stat(filepath.Join(dir, p))
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s still %v", p, fi.Mode())
		}
	}
}
