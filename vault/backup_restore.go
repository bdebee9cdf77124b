package vault

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/backupfmt"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
)

// A BackupSource is one backup file given to RestoreChain: its name for
// messages and a way to open it (a chain of several files is opened twice:
// once to read each link's manifest and order the links, once to restore).
type BackupSource struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// FileSource is a BackupSource reading the file at path.
func FileSource(path string) BackupSource {
	return BackupSource{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// Restore rebuilds a vault in dir, which must not exist or be empty, from a
// backup read from r: a backup of format version 1, or link 1 of a backup
// chain (RestoreChain restores a chain of several links). It unlocks it
// with u (an identity, an identity file, or the passphrase of the
// identity.age inside the backup), then opens the restored vault and
// checks it against the backup's manifest: every case and revision opens,
// the evidence records and files are all there, and the audit chain
// verifies and ends at the manifest's head. On any failure nothing is left
// in dir.
func Restore(ctx context.Context, r io.Reader, dir string, u Unlock, o Options) (*BackupManifest, error) {
	used := false
	src := BackupSource{Name: "backup", Open: func() (io.ReadCloser, error) {
		if used {
			return nil, errors.New("backup read twice")
		}
		used = true
		return io.NopCloser(r), nil
	}}
	return RestoreChain(ctx, []BackupSource{src}, dir, u, o)
}

// RestoreChain is Restore from the files of a backup chain, given in any
// order: links 1 to N of one chain (N may be below the chain's last link:
// the vault is then restored as it was at link N). A gap, a link given
// twice, a file of another chain or vault, a link that was not made after
// the link before it (the SHA-256 it names differs) or a link whose
// signature does not verify is refused before anything is kept. The
// restored vault holds exactly the store records and evidence files link
// N lists: what was deleted or purged before link N is not restored. The
// returned manifest is link N's; a vault.restore audit entry is appended
// to the restored vault.
func RestoreChain(ctx context.Context, srcs []BackupSource, dir string, u Unlock, o Options) (*BackupManifest, error) {
	if len(srcs) == 0 {
		return nil, chainErrorf("no backup file given")
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrVaultExists)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	ids := &idCache{u: u}
	order := srcs
	if len(srcs) > 1 {
		var err error
		if order, err = orderChain(ctx, srcs, ids); err != nil {
			return nil, err
		}
	}
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	rs := &restoreSink{dir: dir}
	m, sum, err := rs.restoreLinks(ctx, order, ids)
	if err == nil {
		err = rs.finish(m)
	}
	if err == nil {
		err = verifyRestored(ctx, dir, rs.id, m, o)
	}
	if err == nil {
		err = recordRestore(dir, rs.id, m, sum, o)
	}
	if err != nil {
		if rs.db != nil {
			rs.db.Close()
		}
		crypto.Wipe(rs.badgerKey[:])
		cleanDir(dir, created)
		return nil, err
	}
	crypto.Wipe(rs.badgerKey[:])
	return m, nil
}

// BackupChainError reports backup files that are not links 1 to N of one
// chain: a gap, a link given twice, files of two chains, a link that was
// not made after the one before it.
type BackupChainError struct{ Msg string }

func (e *BackupChainError) Error() string { return "backup chain: " + e.Msg }

// Is puts a BackupChainError among invalid input.
func (e *BackupChainError) Is(target error) bool { return target == errs.ErrInvalid }

func chainErrorf(format string, a ...any) error {
	return &BackupChainError{Msg: fmt.Sprintf(format, a...)}
}

// idCache unlocks the identity of a backup header once for every link
// that carries the same identity.age.
type idCache struct {
	u      Unlock
	sealed []byte
	id     *crypto.Identity
}

func (c *idCache) get(sealed []byte) (*crypto.Identity, error) {
	if c.id != nil && bytes.Equal(sealed, c.sealed) {
		return c.id, nil
	}
	id, err := restoreIdentity(sealed, c.u)
	if err != nil {
		return nil, err
	}
	c.sealed, c.id = sealed, id
	return id, nil
}

// openLink opens a backup file and decrypts its payload. The returned
// hash sees every byte read from the file.
func openLink(ctx context.Context, src BackupSource, ids *idCache) (rc io.ReadCloser, br *bufio.Reader, ar io.Reader, sealedID []byte, id *crypto.Identity, h hashSum, err error) {
	rc, err = src.Open()
	if err != nil {
		return nil, nil, nil, nil, nil, nil, err
	}
	h = sha256.New()
	br = bufio.NewReaderSize(ctxReader{ctx, io.TeeReader(rc, h)}, 64<<10)
	fail := func(err error) (io.ReadCloser, *bufio.Reader, io.Reader, []byte, *crypto.Identity, hashSum, error) {
		rc.Close()
		return nil, nil, nil, nil, nil, nil, err
	}
	if sealedID, err = backupfmt.ReadHeader(br); err != nil {
		return fail(err)
	}
	if id, err = ids.get(sealedID); err != nil {
		return fail(err)
	}
	ar, err = age.Decrypt(br, id.AgeIdentity())
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return fail(fmt.Errorf("backup: %w (it was made for another organisation)", ErrWrongIdentity))
		}
		return fail(backupErrorf("damaged or truncated header: %v", err))
	}
	return rc, br, ar, sealedID, id, h, nil
}

type hashSum interface {
	io.Writer
	Sum([]byte) []byte
}

// orderChain reads the manifest of every file and returns the files in
// link order, refusing what is not links 1 to N of one chain.
func orderChain(ctx context.Context, srcs []BackupSource, ids *idCache) ([]BackupSource, error) {
	type placed struct {
		src BackupSource
		c   *BackupChain
	}
	var links []placed
	for _, src := range srcs {
		rc, _, ar, _, _, _, err := openLink(ctx, src, ids)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		m, err := backupfmt.ReadManifest(ar)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		if m.Chain == nil {
			return nil, chainErrorf("%s is a whole backup of format version %d, not a link of a backup chain: restore it alone", src.Name, m.Version)
		}
		links = append(links, placed{src, m.Chain})
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].c.Link < links[j].c.Link })
	first := links[0]
	for _, l := range links[1:] {
		if l.c.ID != first.c.ID {
			return nil, chainErrorf("%s belongs to backup chain %s, %s to chain %s: give the files of one chain (a new chain starts with every full backup, after a restore and when the identity changes)",
				first.src.Name, short(first.c.ID), l.src.Name, short(l.c.ID))
		}
	}
	for i, l := range links {
		switch {
		case i > 0 && l.c.Link == links[i-1].c.Link:
			return nil, chainErrorf("link %d of backup chain %s given twice (%s and %s)", l.c.Link, short(l.c.ID), links[i-1].src.Name, l.src.Name)
		case l.c.Link != i+1:
			have := make([]string, len(links))
			for j, x := range links {
				have[j] = strconv.Itoa(x.c.Link)
			}
			return nil, chainErrorf("link %d of backup chain %s is missing (given: links %s): restore needs every link from 1 up to the one to restore", i+1, short(l.c.ID), joinComma(have))
		}
	}
	out := make([]BackupSource, len(links))
	for i, l := range links {
		out[i] = l.src
	}
	return out, nil
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// restoreLinks reads the links in order into the sink, checking that each
// follows the one before; it returns the last link's manifest and the
// SHA-256 of its file.
func (s *restoreSink) restoreLinks(ctx context.Context, order []BackupSource, ids *idCache) (*BackupManifest, string, error) {
	var last *BackupManifest
	var prevSum string
	for i, src := range order {
		m, sum, err := s.readLink(ctx, src, ids, i)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", src.Name, err)
		}
		switch {
		case i == 0 && m.Chain != nil && m.Chain.Link != 1:
			return nil, "", chainErrorf("%s is link %d of backup chain %s: give every file of the chain, from link 1", src.Name, m.Chain.Link, short(m.Chain.ID))
		case i > 0 && (m.Chain == nil || m.Chain.ID != last.Chain.ID || m.Chain.Link != i+1):
			return nil, "", chainErrorf("%s changed while it was read", src.Name)
		case i > 0 && m.Chain.Prev != prevSum:
			return nil, "", chainErrorf("%s (link %d) was not made after %s (link %d): it names another predecessor (a link made from another copy of the vault, a backup made twice from one state, or a file replaced)",
				src.Name, m.Chain.Link, order[i-1].Name, i)
		}
		last, prevSum = m, sum
	}
	return last, prevSum, nil
}

// readLink restores one link (the i-th, from 0) into the vault directory.
func (s *restoreSink) readLink(ctx context.Context, src BackupSource, ids *idCache, i int) (*BackupManifest, string, error) {
	rc, br, ar, sealedID, id, h, err := openLink(ctx, src, ids)
	if err != nil {
		return nil, "", err
	}
	defer rc.Close()
	if i > 0 && !bytes.Equal(sealedID, s.firstID) {
		return nil, "", backupErrorf("its identity differs from link 1's (a chain never spans an identity rotation)")
	}
	s.sealedID, s.id, s.link = sealedID, id, i
	if i == 0 {
		s.firstID = sealedID
	}
	m, err := backupfmt.ReadPayload(ar, s.sink())
	if err != nil {
		return nil, "", err
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return nil, "", err
	}
	if m.Version >= BackupVersion && !crypto.Verify(id.VerifyKey(), m.Signed, m.Sig) {
		return nil, "", backupErrorf("the signature of the backup does not verify with the organisation's key")
	}
	s.live = m.Live
	return m, hex.EncodeToString(h.Sum(nil)), nil
}

// manifest receives a link's manifest before its parts.
func (s *restoreSink) manifest(m *BackupManifest) error {
	if s.link > 0 && m.Chain == nil {
		return chainErrorf("a whole backup of format version %d is not a link of a chain", m.Version)
	}
	s.full = m.Chain == nil || m.Chain.Store == BackupStoreFull
	if s.link == 0 && m.Chain != nil && m.Chain.Link != 1 {
		return chainErrorf("this is link %d of backup chain %s: give every file of the chain, from link 1", m.Chain.Link, short(m.Chain.ID))
	}
	if s.link == 0 && !s.full {
		return backupErrorf("link 1 holds only changes")
	}
	return nil
}

// master takes a link's master.age: a link holding only changes must
// carry the master.age of the link before; a full one starts the store
// afresh under its own master key (after a rekey or purge).
func (s *restoreSink) master(data []byte) error {
	if !s.full {
		if s.db == nil || !bytes.Equal(data, s.masterAge) {
			return backupErrorf("link %d holds only changes, but its master key is not the one of the link before", s.link+1)
		}
		return nil
	}
	if s.db != nil {
		err := s.db.Close()
		s.db = nil
		if err != nil {
			return err
		}
		if err := shredDir(filepath.Join(s.dir, s.dbName)); err != nil {
			return err
		}
		removeBinding(s.dir, s.dbName)
	}
	v := &Vault{dir: s.dir}
	if err := writeFileAtomic(filepath.Join(s.dir, masterFile), data); err != nil {
		return err
	}
	if err := v.unlock(Unlock{Identity: s.id}); err != nil {
		if errors.Is(err, ErrWrongIdentity) {
			return fmt.Errorf("backup: %w (master.age is not for this identity)", err)
		}
		return backupErrorf("damaged %s: %v", masterFile, err)
	}
	defer crypto.Wipe(v.mk[:])
	// The restore is the user's choice and the restored store is checked
	// against the signed manifest before the vault is kept
	// (verifyRestored): it is bound here, not by trust on first use.
	s.gen++
	if err := writeBinding(s.dir, s.id, v.mk, v.dbName, s.gen, true); err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(s.dir, v.dbName), v.keys.badger[:], store.Options{})
	if err != nil {
		return err
	}
	s.db, s.dbName, s.badgerKey, s.masterAge = db, v.dbName, v.keys.badger, bytes.Clone(data)
	return nil
}

// keepLive leaves in the restored store and blobs/ exactly what the last
// link lists: records deleted and evidence removed (or purged) after an
// earlier link go, and everything listed must be there.
func (s *restoreSink) keepLive() error {
	if s.live == nil {
		return nil
	}
	if err := s.db.Close(); err != nil {
		s.db = nil
		return err
	}
	s.db = nil
	db, err := store.Open(filepath.Join(s.dir, s.dbName), s.badgerKey[:], store.Options{})
	if err != nil {
		return err
	}
	s.db = db
	want := make(map[string]bool, len(s.live.Keys))
	for _, k := range s.live.Keys {
		want[string(k)] = true
	}
	var drop [][]byte
	found := 0
	err = db.View(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			if want[string(k)] {
				found++
			} else {
				drop = append(drop, k)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if found != len(want) {
		return backupErrorf("the restored store lacks %d of the records the last link lists (a link missing or damaged)", len(want)-found)
	}
	for len(drop) > 0 {
		n := min(len(drop), 1000)
		err := db.Update(func(txn *store.Txn) error {
			for _, k := range drop[:n] {
				if err := txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("removing records deleted since an earlier link: %w", err)
		}
		drop = drop[n:]
	}
	keep := make(map[string]bool, len(s.live.Blobs))
	for _, b := range s.live.Blobs {
		keep[b] = true
	}
	root := filepath.Join(s.dir, blobDir)
	have := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if keep[filepath.ToSlash(rel)] {
			have++
			return nil
		}
		s.blobs--
		return shredFile(p)
	})
	if err != nil {
		return err
	}
	if have != len(keep) {
		return backupErrorf("the restored vault lacks %d of the evidence files the last link lists (a link missing or damaged)", len(keep)-have)
	}
	return nil
}

// recordRestore appends the vault.restore audit entry to the restored
// vault: the chain and links it was restored from (or "backup v1"), with
// the SHA-256 of the last file.
func recordRestore(dir string, id *crypto.Identity, m *BackupManifest, sum string, o Options) error {
	o.keepIndex = true
	v, err := Open(dir, Unlock{Identity: id}, o)
	if err != nil {
		return fmt.Errorf("restored vault does not open: %w", err)
	}
	defer v.Close()
	targets := []string{"backup v" + strconv.Itoa(m.Version)}
	if c := m.Chain; c != nil {
		targets = []string{"chain " + c.ID, "links 1-" + strconv.Itoa(c.Link)}
	}
	h, _ := hex.DecodeString(sum)
	return v.commit(func(c *change) error {
		c.auditHash(OpRestore, targets, h)
		return nil
	})
}

// restoreSink writes a backup's contents into a new vault directory.
type restoreSink struct {
	dir       string
	id        *crypto.Identity
	sealedID  []byte // identity.age from the current link's clear header
	firstID   []byte // … and from link 1's
	link      int    // the link being read, from 0
	full      bool   // the link holds the whole store
	db        *store.DB
	dbName    string
	badgerKey crypto.Key
	masterAge []byte
	gen       uint64
	blobs     int
	live      *backupfmt.Live // of the last link read
}

// sink hands the sink's methods to the backup reader, the store stream
// checked frame by frame (store.CheckedStream) before Badger sees it.
func (s *restoreSink) sink() backupfmt.Sink {
	return backupfmt.Sink{Manifest: s.manifest, File: s.file, Blob: s.blob,
		Store: func(r io.Reader) error { return s.store(checkedStoreStream(r)) }}
}

func (s *restoreSink) file(name string, data []byte) error {
	if name == identityFile && !bytes.Equal(data, s.sealedID) {
		return backupErrorf("the identity in the header and the one inside differ")
	}
	if name == masterFile {
		return s.master(data)
	}
	if s.link > 0 {
		return nil // identity.age: link 1's, checked above
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

// finish keeps what the last link lists, closes the store and writes the
// format file, which makes the directory a vault.
func (s *restoreSink) finish(m *BackupManifest) error {
	if s.db == nil {
		return backupErrorf("no store")
	}
	if err := s.keepLive(); err != nil {
		return err
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
