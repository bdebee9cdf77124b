package vault

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/backupfmt"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/store"
)

// The backup file format (header, manifest, parts, trailer) is in
// vault/internal/backupfmt; see SECURITY.md, "Backup". Here: what goes
// into a backup and how a restore puts it back.

// BackupSizeHint estimates the size of a backup of the vault in bytes, for
// progress display.
func (v *Vault) BackupSizeHint() int64 {
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

// Backup writes the whole vault to w as one backup file: identity.age as is,
// then an age file to the organisation's recipient holding the manifest,
// master.age as is, the store (Badger's backup stream of our sealed
// records), every evidence file and a trailer of SHA-256s. progress (may be
// nil) is called with the bytes written so far.
func (v *Vault) Backup(ctx context.Context, w io.Writer, progress func(int64)) (*BackupManifest, error) {
	if err := v.needOwner("backup"); err != nil {
		return nil, err
	}
	m, err := v.backupManifest()
	if err != nil {
		return nil, err
	}
	idFile, err := readSmallFile(filepath.Join(v.dir, identityFile), maxKeyFile)
	if err != nil {
		return nil, err
	}
	masterAge, err := readSmallFile(filepath.Join(v.dir, masterFile), maxKeyFile)
	if err != nil {
		return nil, err
	}
	cw := &countWriter{w: ctxWriter{ctx, w}, progress: progress}
	if err := backupfmt.WriteHeader(cw, idFile); err != nil {
		return nil, err
	}
	aw, err := age.Encrypt(cw, v.id.Recipient())
	if err != nil {
		return nil, err
	}
	pw, err := backupfmt.NewWriter(aw, m)
	if err != nil {
		return nil, err
	}
	if err := pw.File(identityFile, idFile); err != nil {
		return nil, err
	}
	if err := pw.File(masterFile, masterAge); err != nil {
		return nil, err
	}
	if err := pw.BeginStore(); err != nil {
		return nil, err
	}
	if err := v.db.Backup(pw); err != nil {
		return nil, fmt.Errorf("backing up the store: %w", err)
	}
	if err := pw.End(); err != nil {
		return nil, err
	}
	for _, rel := range m.Blobs {
		// Never a link or a FIFO planted in blobs/: the first would copy a
		// file from outside the vault into the backup, the second hang it.
		f, err := evidence.OpenBlob(filepath.Join(v.dir, blobDir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("backing up evidence file %s: %w", rel, err)
		}
		err = pw.Blob(rel, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("backing up evidence file %s: %w", rel, err)
		}
	}
	if err := pw.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return m, nil
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

// Restore rebuilds a vault in dir, which must not exist or be empty, from a
// backup read from r, unlocking it with u (an identity, an identity file, or
// the passphrase of the identity.age inside the backup). It then opens the
// restored vault and checks it against the backup's manifest: every case and
// revision opens, the evidence records and files are all there, and the
// audit chain verifies and ends at the manifest's head. On any failure
// nothing is left in dir.
func Restore(ctx context.Context, r io.Reader, dir string, u Unlock, o Options) (*BackupManifest, error) {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrVaultExists)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	br := bufio.NewReaderSize(ctxReader{ctx, r}, 64<<10)
	sealedID, err := backupfmt.ReadHeader(br)
	if err != nil {
		return nil, err
	}
	id, err := restoreIdentity(sealedID, u)
	if err != nil {
		return nil, err
	}
	ar, err := age.Decrypt(br, id.AgeIdentity())
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("backup: %w (it was made for another organisation)", ErrWrongIdentity)
		}
		return nil, backupErrorf("damaged or truncated header: %v", err)
	}
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	rs := &restoreSink{dir: dir, id: id, sealedID: sealedID}
	m, err := backupfmt.ReadPayload(ar, rs.sink())
	if err == nil {
		err = rs.finish(m)
	}
	if err == nil {
		err = verifyRestored(ctx, dir, id, m, o)
	}
	if err != nil {
		if rs.db != nil {
			rs.db.Close()
		}
		cleanDir(dir, created)
		return nil, err
	}
	return m, nil
}

func restoreIdentity(sealedID []byte, u Unlock) (*crypto.Identity, error) {
	id, _, err := unlockIdentity(u, "backup",
		func() ([]byte, error) { return sealedID, nil },
		func(err error) error { return backupErrorf("damaged identity: %v", err) })
	return id, err
}

// cleanDir removes what a failed restore wrote: dir itself if it was
// created, else its contents.
func cleanDir(dir string, created bool) {
	if created {
		_ = shredDir(dir)
		return
	}
	shredContents(dir)
}

// sink hands the sink's methods to the backup reader, the store stream
// checked frame by frame (store.CheckedStream) before Badger sees it.
func (s *restoreSink) sink() backupfmt.Sink {
	return backupfmt.Sink{File: s.file, Blob: s.blob,
		Store: func(r io.Reader) error { return s.store(checkedStoreStream(r)) }}
}

// restoreSink writes a backup's contents into a new vault directory.
type restoreSink struct {
	dir      string
	id       *crypto.Identity
	sealedID []byte // identity.age from the backup's clear header
	db       *store.DB
	master   bool
	blobs    int
}

func (s *restoreSink) file(name string, data []byte) error {
	if name == identityFile && !bytes.Equal(data, s.sealedID) {
		return backupErrorf("the identity in the header and the one inside differ")
	}
	if name == masterFile {
		v := &Vault{dir: s.dir}
		if err := writeFileAtomic(filepath.Join(s.dir, name), data); err != nil {
			return err
		}
		if err := v.unlock(Unlock{Identity: s.id}); err != nil {
			if errors.Is(err, ErrWrongIdentity) {
				return fmt.Errorf("backup: %w (master.age is not for this identity)", err)
			}
			return backupErrorf("damaged %s: %v", masterFile, err)
		}
		// The restore is the user's choice and the restored store is
		// checked against the signed manifest before the vault is kept
		// (verifyRestored): it is bound here, not by trust on first use.
		if err := writeBinding(s.dir, s.id, v.mk, v.dbName, 1, true); err != nil {
			crypto.Wipe(v.mk[:])
			return err
		}
		db, err := store.Open(filepath.Join(s.dir, v.dbName), v.keys.badger[:], store.Options{})
		crypto.Wipe(v.mk[:])
		if err != nil {
			return err
		}
		s.db, s.master = db, true
		return nil
	}
	return writeFileAtomic(filepath.Join(s.dir, name), data)
}

func (s *restoreSink) store(r io.Reader) error {
	if s.db == nil {
		return backupErrorf("store before %s", masterFile)
	}
	if err := s.db.Load(r); err != nil {
		var be *BackupError
		if errors.As(err, &be) {
			return err
		}
		return fmt.Errorf("loading the store: %w", err)
	}
	return nil
}

func (s *restoreSink) blob(rel string, r io.Reader) error {
	p := filepath.Join(s.dir, blobDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return backupErrorf("evidence file %s twice", rel)
		}
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	s.blobs++
	return err
}

// finish closes the store and writes the format file, which makes the
// directory a vault.
func (s *restoreSink) finish(m *BackupManifest) error {
	if s.db == nil {
		return backupErrorf("no store")
	}
	if err := s.db.Close(); err != nil {
		s.db = nil
		return err
	}
	s.db = nil
	if s.blobs != m.EvidenceFile {
		return backupErrorf("%d evidence files, the manifest says %d", s.blobs, m.EvidenceFile)
	}
	if s.blobs > 0 {
		if err := syncDir(filepath.Join(s.dir, blobDir)); err != nil {
			return err
		}
	}
	marker, _ := json.Marshal(formatMarker{Format: "casevault-vault", Version: FormatVersion})
	return writeFileAtomic(filepath.Join(s.dir, formatFile), append(marker, '\n'))
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
