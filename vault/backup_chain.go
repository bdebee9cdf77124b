package vault

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/backupfmt"
	"github.com/casevault/casevault/vault/internal/evidence"
	"github.com/casevault/casevault/vault/internal/store"
)

// Incremental backups (see SECURITY.md, "Incremental backups"). A backup
// is a link of a backup chain; the vault keeps, in backupChainFile, where
// its current chain stands: the chain's ID, the last link's number and
// SHA-256, the store version the next link starts from, the SHA-256 of
// master.age at the last link and the evidence files the chain holds.
// The file is sealed under a key derived from the organisation identity
// (not the master key: the state must survive a rekey or purge, after
// which the chain goes on with a full copy of the new store). A missing,
// damaged or foreign state file only makes the next backup start a new
// chain.

// backupChainFile is the vault file holding the backup chain state.
const backupChainFile = "backup-chain"

// maxChainState bounds the chain state file.
const maxChainState = 64 << 20

// BackupStore kinds of a link (the manifest's chain.store).
const (
	BackupStoreFull  = backupfmt.StoreFull
	BackupStoreDelta = backupfmt.StoreDelta
)

// BackupChain places a backup in its chain.
type BackupChain = backupfmt.Chain

// BackupOptions choose what a backup writes.
type BackupOptions struct {
	// Full starts a new chain: the link holds the whole vault.
	Full bool
}

// BackupReport is what BackupLink wrote.
type BackupReport struct {
	Manifest *BackupManifest `json:"manifest"`
	SHA256   string          `json:"sha256"` // of the whole file
	Size     int64           `json:"size"`   // bytes
	// BlobsWritten counts the evidence files in this link (those not in
	// an earlier link of the chain).
	BlobsWritten int `json:"evidence_files_written"`
	// NewChain says why a new chain was started ("" when the link
	// continues one).
	NewChain string `json:"new_chain,omitempty"`
	// StoreNote says why a later link holds the whole store ("" when it
	// holds only what changed).
	StoreNote string `json:"store_note,omitempty"`
}

// chainState is the content of backupChainFile.
type chainState struct {
	ID      string    `json:"id"`
	Link    int       `json:"link"`
	Last    string    `json:"last"`   // SHA-256 of the last link's file
	Since   uint64    `json:"since"`  // the next link holds the store entries of versions above it
	Master  string    `json:"master"` // SHA-256 of master.age at the last link
	Blobs   []string  `json:"blobs"`  // evidence files in the chain
	Created time.Time `json:"created"`
}

// BackupChainInfo is where the vault's backup chain stands, for messages.
type BackupChainInfo struct {
	ID      string
	Link    int
	Created time.Time // of the last link
}

func (v *Vault) chainStateKey() crypto.Key {
	h := sha256.Sum256([]byte("casevault backup chain state\x00" + v.id.String()))
	k := crypto.DeriveKey(crypto.Key(h), "backup chain state")
	crypto.Wipe(h[:])
	return k
}

var chainStateAD = []byte("casevault backup chain state v1")

// loadChainState returns the chain state, or nil and why there is none
// usable.
func (v *Vault) loadChainState() (*chainState, string) {
	p := filepath.Join(v.dir, backupChainFile)
	if fi, err := os.Lstat(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "no earlier backup of this vault"
		}
		return nil, "the backup chain state cannot be read"
	} else if !privateRegular(fi) {
		return nil, "the backup chain state is not a private regular file"
	}
	b, err := readSmallFile(p, maxChainState)
	if err != nil {
		return nil, "the backup chain state cannot be read"
	}
	k := v.chainStateKey()
	defer crypto.Wipe(k[:])
	plain, err := crypto.Open(k, b, chainStateAD)
	if err != nil {
		return nil, "the backup chain state is damaged or of another identity"
	}
	var st chainState
	if err := json.Unmarshal(plain, &st); err != nil || st.Link < 1 || st.ID == "" {
		return nil, "the backup chain state is damaged"
	}
	return &st, ""
}

func (v *Vault) saveChainState(st *chainState) error {
	j, err := json.Marshal(st)
	if err != nil {
		return err
	}
	k := v.chainStateKey()
	defer crypto.Wipe(k[:])
	return writeFileAtomic(filepath.Join(v.dir, backupChainFile), crypto.Seal(k, j, chainStateAD))
}

// BackupChainState returns where the vault's backup chain stands, or nil
// when there is none (no backup yet, or its state is unreadable).
func (v *Vault) BackupChainState() *BackupChainInfo {
	st, _ := v.loadChainState()
	if st == nil {
		return nil
	}
	return &BackupChainInfo{ID: st.ID, Link: st.Link, Created: st.Created}
}

// BackupLink writes the next link of the vault's backup chain to path
// (through a temporary file, like BackupToFile): only what changed since
// the last link (store records written since, and evidence files not
// already in the chain), or, with o.Full or when there is no usable chain,
// link 1 of a new chain holding the whole vault. It then records the
// chain's new state and appends a vault.backup audit entry.
func (v *Vault) BackupLink(ctx context.Context, path string, o BackupOptions, progress func(int64)) (*BackupReport, error) {
	st, why := v.loadChainState()
	if o.Full {
		st, why = nil, "a full backup was asked for"
	}
	var rep *BackupReport
	var next *chainState
	err := writeStreamAtomic(path, func(w io.Writer) error {
		var err error
		rep, next, err = v.writeLink(ctx, w, st, progress)
		if err == nil {
			err = ctx.Err()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if st == nil {
		rep.NewChain = why
	}
	if err := v.saveChainState(next); err != nil {
		return nil, fmt.Errorf("backup written, but the chain state not saved (the next backup starts a new chain): %w", err)
	}
	sum, _ := hex.DecodeString(rep.SHA256)
	c := rep.Manifest.Chain
	err = v.commit(func(ch *change) error {
		ch.auditHash(OpBackup, []string{"chain " + c.ID, "link " + strconv.Itoa(c.Link), c.Store}, sum)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("backup written, but not recorded in the audit log: %w", err)
	}
	return rep, nil
}

// writeLink writes one link to w, continuing st (nil: a new chain), and
// returns what it wrote and the chain state after it.
func (v *Vault) writeLink(ctx context.Context, w io.Writer, st *chainState, progress func(int64)) (*BackupReport, *chainState, error) {
	if err := v.needOwner("backup"); err != nil {
		return nil, nil, err
	}
	m, err := v.backupManifest()
	if err != nil {
		return nil, nil, err
	}
	idFile, err := readSmallFile(filepath.Join(v.dir, identityFile), maxKeyFile)
	if err != nil {
		return nil, nil, err
	}
	masterAge, err := readSmallFile(filepath.Join(v.dir, masterFile), maxKeyFile)
	if err != nil {
		return nil, nil, err
	}
	mh := sha256.Sum256(masterAge)
	rep := &BackupReport{Manifest: m}
	chain := &BackupChain{Link: 1, Store: BackupStoreFull}
	var since uint64
	have := map[string]bool{}
	if st != nil {
		chain.ID, chain.Link, chain.Prev, chain.Store = st.ID, st.Link+1, st.Last, BackupStoreDelta
		since = st.Since
		if st.Master != hex.EncodeToString(mh[:]) {
			// Rekey or purge: a new store under a new master key. The
			// link carries all of it; the restore replaces the store.
			chain.Store, since = BackupStoreFull, 0
			rep.StoreNote = fmt.Sprintf("the master key changed since link %d (rekey or purge): this link holds the whole store, and a restore of the chain takes the store from it", st.Link)
		}
		for _, b := range st.Blobs {
			have[b] = true
		}
	} else {
		var id [16]byte
		if _, err := rand.Read(id[:]); err != nil {
			return nil, nil, err
		}
		chain.ID = hex.EncodeToString(id[:])
	}
	m.Version, m.Chain = BackupVersion, chain

	var keys [][]byte
	err = v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}

	h := sha256.New()
	cw := &countWriter{w: ctxWriter{ctx, io.MultiWriter(w, h)}, progress: progress}
	if err := backupfmt.WriteHeader(cw, idFile); err != nil {
		return nil, nil, err
	}
	aw, err := age.Encrypt(cw, v.id.Recipient())
	if err != nil {
		return nil, nil, err
	}
	pw, err := backupfmt.NewWriter(aw, m)
	if err != nil {
		return nil, nil, err
	}
	if err := pw.File(identityFile, idFile); err != nil {
		return nil, nil, err
	}
	if err := pw.File(masterFile, masterAge); err != nil {
		return nil, nil, err
	}
	if err := pw.BeginStore(); err != nil {
		return nil, nil, err
	}
	if err := v.live(); err != nil {
		return nil, nil, err
	}
	// Badger's backup stream reads through iterators, which end a table
	// quietly at a damaged block: such a backup would be short, not fail.
	if err := v.db.VerifyTables(); err != nil {
		return nil, nil, storeDamage(err)
	}
	maxV, err := v.db.BackupSince(pw, since)
	if err != nil {
		return nil, nil, fmt.Errorf("backing up the store: %w", err)
	}
	if err := pw.End(); err != nil {
		return nil, nil, err
	}
	if err := pw.Live(keys, m.Blobs); err != nil {
		return nil, nil, err
	}
	for _, rel := range m.Blobs {
		if have[rel] {
			continue
		}
		f, err := evidence.OpenBlob(filepath.Join(v.dir, blobDir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, nil, fmt.Errorf("backing up evidence file %s: %w", rel, err)
		}
		err = pw.Blob(rel, f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("backing up evidence file %s: %w", rel, err)
		}
		rep.BlobsWritten++
	}
	if err := pw.CloseSigned(v.id.Sign); err != nil {
		return nil, nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, nil, err
	}
	rep.SHA256, rep.Size = hex.EncodeToString(h.Sum(nil)), cw.n
	next := &chainState{ID: chain.ID, Link: chain.Link, Last: rep.SHA256, Since: since,
		Master: hex.EncodeToString(mh[:]), Blobs: m.Blobs, Created: m.Created}
	// Badger's stream takes the entries of versions above since (its
	// iterator's SinceTs is exclusive, whatever DB.Backup's comment says):
	// the next link starts after the highest version this one holds.
	if maxV > since {
		next.Since = maxV
	}
	return rep, next, nil
}
