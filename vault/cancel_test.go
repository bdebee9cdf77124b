package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirNames lists what is in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// TestCancelBackup: a backup cancelled before it starts or part-way
// (Ctrl-C while it streams) returns context.Canceled and leaves no file,
// not even a temporary one.
func TestCancelBackup(t *testing.T) {
	v := newTestVault(t)
	for i := range 20 {
		coreAdd(t, v, "schema: case.v1\nperson:\n  name: Cancel Test "+strings.Repeat("x", i)+"\n")
	}
	for _, mid := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		if !mid {
			cancel()
		}
		out := t.TempDir()
		progress := func(n int64) {
			if mid && n > 4096 {
				cancel()
			}
		}
		_, err := v.BackupToFile(ctx, filepath.Join(out, "vault.backup"), progress)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("mid=%v: err = %v, want context.Canceled", mid, err)
		}
		if names := dirNames(t, out); len(names) != 0 {
			t.Fatalf("mid=%v: a cancelled backup left %v", mid, names)
		}
	}
	// The vault is unharmed and a backup still works.
	if _, err := v.BackupToFile(context.Background(), filepath.Join(t.TempDir(), "ok.backup"), nil); err != nil {
		t.Fatal(err)
	}
}

// TestCancelImport: an import cancelled before it starts adds no case; one
// cancelled after its first batch stops there, every batch committed whole
// and nothing after it.
func TestCancelImport(t *testing.T) {
	v := newTestVault(t)
	path := writeGenerated(t, FormatJSONL, 200, 7)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := v.Import(ctx, path, ImportOptions{Format: FormatJSONL, BatchBytes: 40 << 10})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if ids, _ := v.CaseIDs(); len(ids) != 0 {
		t.Fatalf("a cancelled import added %d cases", len(ids))
	}
	if n := countOps(t, v, "case.import"); n != 0 {
		t.Fatalf("%d case.import entries after a cancelled import", n)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	rep, err := v.Import(ctx, path, ImportOptions{Format: FormatJSONL, BatchBytes: 40 << 10,
		Progress: func(phase string, done, total int) {
			if phase == "import" && done > 0 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	ids, _ := v.CaseIDs()
	if rep.Imported == 0 || rep.Imported >= 200 || len(ids) != rep.Imported || rep.Batches != 1 {
		t.Fatalf("cancelled after the first batch: report %+v, %d cases in the vault", rep, len(ids))
	}
	if n := countOps(t, v, "case.import"); n != rep.Imported {
		t.Fatalf("%d case.import entries for %d cases", n, rep.Imported)
	}
	coreVerifyAudit(t, v, -1)
}

// TestCancelPublish: a cancelled publication writes no directory and
// records no publish entry.
func TestCancelPublish(t *testing.T) {
	_, v := coreInit(t, true)
	for _, n := range []string{"kara-murza", "anonymous", "crowd-1", "crowd-2"} {
		coreAdd(t, v, publishFixture(t, n))
	}
	before := lastAudit(t, v)
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := v.Publish(ctx, PublishOptions{Dir: filepath.Join(parent, "site"), Format: "html"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if names := dirNames(t, parent); len(names) != 0 {
		t.Fatalf("a cancelled publication left %v", names)
	}
	if after := lastAudit(t, v); after.Seq != before.Seq {
		t.Fatalf("a cancelled publication recorded %s", after.Op)
	}
}
