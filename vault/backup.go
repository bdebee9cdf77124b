package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/backupfmt"
	"github.com/casevault/casevault/vault/internal/store"
)

// The backup file format (header, manifest, parts, trailer) is in
// vault/internal/backupfmt; see SECURITY.md, "Backup". Here: what goes
// into a backup and how a restore puts it back.

// BackupSizeHint estimates the size of a backup of the vault in bytes, for
// progress display.
func (v *Vault) BackupSizeHint() int64 {
	if v.live() != nil {
		return 0
	}
	lsm, vlog := v.db.Size()
	n := lsm + vlog
	_ = filepath.WalkDir(filepath.Join(v.dir, blobDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// BackupToFile writes a backup to path through a temporary file in the same
// directory, renamed over path once complete and synced. A failure leaves
// nothing at path. progress (may be nil) is called with the bytes written
// so far.
func (v *Vault) BackupToFile(ctx context.Context, path string, progress func(int64)) (*BackupManifest, error) {
	var m *BackupManifest
	err := writeStreamAtomic(path, func(w io.Writer) error {
		var err error
		m, err = v.Backup(ctx, w, progress)
		if err == nil {
			err = ctx.Err() // cancelled after the last byte: not kept either
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Backup writes the whole vault to w as one backup file: link 1 of a new
// backup chain of its own (the vault's chain state is left as it is; see
// BackupLink). identity.age as is, then an age file to the organisation's
// recipient holding the manifest, master.age as is, the store (Badger's
// backup stream of our sealed records), the list of store keys and
// evidence files, every evidence file and a signed trailer of SHA-256s.
// progress (may be nil) is called with the bytes written so far.
func (v *Vault) Backup(ctx context.Context, w io.Writer, progress func(int64)) (*BackupManifest, error) {
	if err := v.needOwner("backup"); err != nil {
		return nil, err
	}
	rep, _, err := v.writeLink(ctx, w, nil, progress)
	if err != nil {
		return nil, err
	}
	return rep.Manifest, nil
}

func (v *Vault) backupManifest() (*BackupManifest, error) {
	m := &BackupManifest{Format: backupfmt.Format, Version: BackupVersion, Org: v.meta.Org, Recipient: v.meta.Recipient,
		Created: v.now(), VaultCreated: v.meta.Created}
	err := v.view(func(txn *store.Txn) error {
		head, err := v.auditHead(txn)
		if err != nil {
			return err
		}
		m.AuditHead = backupfmt.AuditHead(head)
		m.Cases, m.Revisions, m.Evidence = countPrefix(txn, pCaseKey), countPrefix(txn, pRevision), countPrefix(txn, pEvidence)
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.Blobs, err = v.blobFiles()
	m.EvidenceFile = len(m.Blobs)
	return m, err
}

func countPrefix(txn *store.Txn, p byte) int {
	it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{p}})
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		n++
	}
	return n
}

// blobFiles lists the evidence files below blobs/ as slash-separated paths
// relative to it, in lexical order, leaving out temporary files.
func (v *Vault) blobFiles() ([]string, error) {
	root := filepath.Join(v.dir, blobDir)
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out, err
}

// countWriter counts the bytes written through it and reports the count
// to progress (may be nil).
type countWriter struct {
	w        io.Writer
	n        int64
	progress func(int64)
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.progress != nil {
		c.progress(c.n)
	}
	return n, err
}

// verifyRestored opens a restored vault and checks it against the manifest.
func verifyRestored(ctx context.Context, dir string, id *crypto.Identity, m *BackupManifest, o Options) error {
	o.keepIndex = true // rebuilt, if of a previous format, at the next open
	v, err := Open(dir, Unlock{Identity: id}, o)
	if err != nil {
		return fmt.Errorf("restored vault does not open: %w", err)
	}
	defer v.Close()
	if v.meta.Org != m.Org || v.meta.Recipient != m.Recipient {
		return backupErrorf("restored vault is of organisation %q, the manifest says %q", v.meta.Org, m.Org)
	}
	ids, err := v.CaseIDs()
	if err != nil {
		return err
	}
	revs := 0
	for _, c := range ids {
		h, err := v.History(c)
		if err != nil {
			return fmt.Errorf("restored vault: %w", err)
		}
		revs += len(h)
	}
	var evid int
	_ = v.view(func(txn *store.Txn) error { evid = countPrefix(txn, pEvidence); return nil })
	if len(ids) != m.Cases || revs != m.Revisions || evid != m.Evidence {
		return backupErrorf("restored %d cases, %d revisions, %d evidence records; the manifest says %d, %d, %d",
			len(ids), revs, evid, m.Cases, m.Revisions, m.Evidence)
	}
	n, err := v.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("restored vault: %w", err)
	}
	rep, err := v.Check(ctx, CheckOptions{})
	if err != nil {
		return fmt.Errorf("restored vault: check: %w", err)
	}
	// Orphans (evidence files an interrupted add left behind in the
	// original vault) are harmless and 'check --repair' removes them.
	for _, p := range rep.Problems {
		if p.Kind != ProblemOrphan {
			return backupErrorf("restored vault fails check: %s", p)
		}
	}
	head, err := v.AuditHead()
	if err != nil {
		return err
	}
	if uint64(n) != m.AuditHead.Seq || head != AuditHead(m.AuditHead) {
		return backupErrorf("restored audit log ends at entry %d, the manifest says %d", head.Seq, m.AuditHead.Seq)
	}
	m.Witnesses, err = v.WitnessOrgs()
	return err
}

// checkedStoreStream passes Badger's backup stream through, frame by frame,
// after the store's checks (bounded frames, casevault keys only): Badger's
// own loader trusts the lengths it reads.
func checkedStoreStream(r io.Reader) io.Reader {
	return store.CheckedStream(r, func(msg string) error { return &BackupError{Msg: msg} })
}
