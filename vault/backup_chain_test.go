package vault

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casevault/casevault/vault/internal/backupfmt"
)

// chainFixture writes a chain of four links of one vault:
// l1 full (cases A and B, A with evidence), l2 after adding C with
// evidence and removing B, l3 after purging A (a full store, no evidence
// file), l4 after updating C. It returns the vault, the files and the
// vault's content at l2 and at l4.
func chainFixture(t *testing.T) (v *Vault, links []string, atL2, atL4 string, ids map[string]CaseID) {
	t.Helper()
	ctx := context.Background()
	v = newTestVault(t)
	out := t.TempDir()
	ids = map[string]CaseID{}
	for _, n := range []string{"Anna Alpha", "Boris Beta"} {
		id, err := v.AddCase(testCase(t, n, "Имя", "pretrial"))
		if err != nil {
			t.Fatal(err)
		}
		ids[n[:1]] = id
	}
	if _, err := v.AddEvidence(ctx, ids["A"], bytes.NewReader(bytes.Repeat([]byte("evidence of A "), 20000)), EvidenceInput{Name: "a.pdf"}); err != nil {
		t.Fatal(err)
	}
	link := func(name string, o BackupOptions) *BackupReport {
		t.Helper()
		p := filepath.Join(out, name)
		rep, err := v.BackupLink(ctx, p, o, nil)
		if err != nil {
			t.Fatalf("backup %s: %v", name, err)
		}
		links = append(links, p)
		return rep
	}
	r1 := link("l1", BackupOptions{})
	if c := r1.Manifest.Chain; c.Link != 1 || c.Store != BackupStoreFull || r1.NewChain == "" || r1.BlobsWritten != 1 {
		t.Fatalf("link 1: %+v %+v", c, r1)
	}
	c, err := v.AddCase(testCase(t, "Chen Gamma", "Чэнь", "pretrial"))
	if err != nil {
		t.Fatal(err)
	}
	ids["C"] = c
	if _, err := v.AddEvidence(ctx, c, strings.NewReader("evidence of C"), EvidenceInput{Name: "c.txt"}); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveCase(ids["B"]); err != nil {
		t.Fatal(err)
	}
	r2 := link("l2", BackupOptions{})
	if c := r2.Manifest.Chain; c.Link != 2 || c.Store != BackupStoreDelta || c.ID != r1.Manifest.Chain.ID || c.Prev != r1.SHA256 || r2.BlobsWritten != 1 || r2.NewChain != "" {
		t.Fatalf("link 2: %+v %+v", c, r2)
	}
	if r2.Size*4 > r1.Size {
		t.Fatalf("link 2 is %d bytes, link 1 %d: not incremental", r2.Size, r1.Size)
	}
	atL2 = vaultContent(t, v, "alpha", "gamma")
	if _, err := v.Purge(ctx, ids["A"]); err != nil {
		t.Fatal(err)
	}
	r3 := link("l3", BackupOptions{})
	if c := r3.Manifest.Chain; c.Link != 3 || c.Store != BackupStoreFull || r3.StoreNote == "" || r3.BlobsWritten != 0 {
		t.Fatalf("link 3: %+v %+v", c, r3)
	}
	if _, err := v.UpdateCase(ids["C"], testCase(t, "Chen Gamma", "Чэнь", "sentenced")); err != nil {
		t.Fatal(err)
	}
	r4 := link("l4", BackupOptions{})
	if c := r4.Manifest.Chain; c.Link != 4 || c.Store != BackupStoreDelta || r4.BlobsWritten != 0 {
		t.Fatalf("link 4: %+v %+v", c, r4)
	}
	atL4 = vaultContent(t, v, "alpha", "gamma", "status:sentenced")
	return v, links, atL2, atL4, ids
}

func restoreFiles(t *testing.T, files ...string) (string, *BackupManifest, error) {
	t.Helper()
	srcs := make([]BackupSource, len(files))
	for i, f := range files {
		srcs[i] = FileSource(f)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	m, err := RestoreChain(context.Background(), srcs, dir, passUnlock(testPass), Options{Author: "tester"})
	return dir, m, err
}

func TestBackupChainRestore(t *testing.T) {
	v, l, atL2, atL4, ids := chainFixture(t)
	defer v.Close()

	// The whole chain, given in any order: the vault as at link 4. The
	// removed case B and the purged case A (and its evidence file) are
	// not there.
	dir, m, err := restoreFiles(t, l[3], l[1], l[0], l[2])
	if err != nil {
		t.Fatal(err)
	}
	if m.Chain.Link != 4 || m.Cases != 1 {
		t.Fatalf("manifest %+v %+v", m, m.Chain)
	}
	r, err := Open(dir, passUnlock(testPass), Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	if got := vaultContent(t, r, "alpha", "gamma", "status:sentenced"); got != atL4 {
		t.Fatalf("restored chain:\n%s\nwant\n%s", got, atL4)
	}
	for _, gone := range []string{"A", "B"} {
		if _, err := r.Case(ids[gone]); !IsNotFound(err) {
			t.Fatalf("case %s reappeared after the chain's restore: %v", gone, err)
		}
	}
	blobs, _ := r.blobFiles()
	if len(blobs) != 1 {
		t.Fatalf("evidence files after restore: %v (the purged case's file must be gone)", blobs)
	}
	ops := auditOps(t, r)
	if last := ops[len(ops)-1]; !strings.HasPrefix(last, "vault.restore chain ") || !strings.HasSuffix(last, "links 1-4") {
		t.Fatalf("last audit entry %q", last)
	}
	n := 0
	for _, op := range ops {
		if strings.HasPrefix(op, "vault.backup ") {
			n++
		}
	}
	if n != 3 { // links 1 to 3 are recorded before link 4 was made
		t.Fatalf("%d vault.backup entries in %v", n, ops)
	}
	r.Close()

	// A prefix of the chain: the vault as at link 2 (B removed, A there).
	dir, _, err = restoreFiles(t, l[1], l[0])
	if err != nil {
		t.Fatal(err)
	}
	r, err = Open(dir, passUnlock(testPass), Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	if got := vaultContent(t, r, "alpha", "gamma"); got != atL2 {
		t.Fatalf("restored links 1-2:\n%s\nwant\n%s", got, atL2)
	}
	if _, err := r.Case(ids["B"]); !IsNotFound(err) {
		t.Fatalf("removed case B in the restore of links 1-2: %v", err)
	}
	r.Close()
}

func TestBackupChainRefusals(t *testing.T) {
	v, l, _, _, _ := chainFixture(t)
	defer v.Close()
	ctx := context.Background()
	dup := filepath.Join(t.TempDir(), "l2-copy")
	b, _ := os.ReadFile(l[1])
	os.WriteFile(dup, b, 0o600)
	damaged := filepath.Join(t.TempDir(), "l2-damaged")
	b2 := bytes.Clone(b)
	b2[len(b2)-100] ^= 1
	os.WriteFile(damaged, b2, 0o600)

	// A fork: link 5 written, then the chain state put back to after
	// link 4 and another link 5 written.
	state, _ := os.ReadFile(filepath.Join(v.Dir(), backupChainFile))
	l5 := filepath.Join(t.TempDir(), "l5")
	if _, err := v.BackupLink(ctx, l5, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	l6 := filepath.Join(t.TempDir(), "l6")
	if _, err := v.BackupLink(ctx, l6, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(filepath.Join(v.Dir(), backupChainFile), state); err != nil {
		t.Fatal(err)
	}
	l5b := filepath.Join(t.TempDir(), "l5b")
	if _, err := v.BackupLink(ctx, l5b, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	// Another chain of the same vault.
	other := filepath.Join(t.TempDir(), "other")
	if rep, err := v.BackupLink(ctx, other, BackupOptions{Full: true}, nil); err != nil || rep.Manifest.Chain.Link != 1 || rep.NewChain != "a full backup was asked for" {
		t.Fatalf("backup --full: %+v %v", rep, err)
	}

	for name, tc := range map[string]struct {
		files []string
		want  string
	}{
		"gap":           {[]string{l[0], l[2]}, "link 2 of backup chain"},
		"no link 1":     {[]string{l[1], l[2]}, "link 1 of backup chain"},
		"twice":         {[]string{l[0], l[1], dup}, "given twice"},
		"alone":         {[]string{l[1]}, "give every file of the chain, from link 1"},
		"another chain": {[]string{l[0], other}, "give the files of one chain"},
		"fork":          {[]string{l[0], l[1], l[2], l[3], l5b, l6}, "was not made after"},
		"damaged":       {[]string{l[0], damaged}, "l2-damaged"},
	} {
		t.Run(name, func(t *testing.T) {
			dir, _, err := restoreFiles(t, tc.files...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("restore %v: %v, want an error with %q", tc.files, err, tc.want)
			}
			if ents, _ := os.ReadDir(dir); len(ents) > 0 {
				t.Fatalf("a refused restore left %d files", len(ents))
			}
		})
	}
	// The fork's other branch restores: links 1-4, l5b.
	if _, _, err := restoreFiles(t, l[0], l[1], l[2], l[3], l5b); err != nil {
		t.Fatal(err)
	}
}

// TestBackupChainStateHostile: a state file that is damaged, planted as
// a link, or of another vault only makes the next backup a new chain.
func TestBackupChainStateHostile(t *testing.T) {
	v := newTestVault(t)
	defer v.Close()
	ctx := context.Background()
	p := filepath.Join(v.Dir(), backupChainFile)
	out := t.TempDir()
	if _, err := v.BackupLink(ctx, filepath.Join(out, "a"), BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, []byte("garbage"), 0o600)
	rep, err := v.BackupLink(ctx, filepath.Join(out, "b"), BackupOptions{}, nil)
	if err != nil || rep.Manifest.Chain.Link != 1 || !strings.Contains(rep.NewChain, "damaged") {
		t.Fatalf("after a damaged state: %+v %v", rep, err)
	}
	os.Remove(p)
	if err := os.Symlink(filepath.Join(out, "a"), p); err != nil {
		t.Skip(err)
	}
	rep, err = v.BackupLink(ctx, filepath.Join(out, "c"), BackupOptions{}, nil)
	if err != nil || rep.Manifest.Chain.Link != 1 {
		t.Fatalf("after a planted link: %+v %v", rep, err)
	}
	if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("the state file is not a regular file after the backup: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "a")); !bytes.HasPrefix(b, []byte("casevault backup v1\n")) {
		t.Fatal("the link's target was written through")
	}
}

// TestBackupFormatV1StillRestores: the committed fixture's backup, of
// format version 1, restores through RestoreChain too.
func TestBackupFormatV1StillRestores(t *testing.T) {
	root := filepath.Join("testdata", "vault-7772002")
	idText, err := os.ReadFile(filepath.Join(root, "identity.txt"))
	if err != nil {
		t.Fatal(err)
	}
	idFile := filepath.Join(t.TempDir(), "id.txt")
	os.WriteFile(idFile, idText, 0o600)
	dir := filepath.Join(t.TempDir(), "r")
	m, err := RestoreChain(context.Background(), []BackupSource{FileSource(filepath.Join(root, "vault.cvbackup"))}, dir, Unlock{IdentityFile: idFile}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != backupfmt.VersionV1 || m.Chain != nil {
		t.Fatalf("manifest %+v", m)
	}
	// With a link of a chain, it is refused.
	v := newTestVault(t)
	defer v.Close()
	l1 := filepath.Join(t.TempDir(), "l1")
	if _, err := v.BackupLink(context.Background(), l1, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := restoreFiles(t, l1, filepath.Join(root, "vault.cvbackup")); err == nil {
		t.Fatal("a version 1 backup restored as a link")
	}
}
