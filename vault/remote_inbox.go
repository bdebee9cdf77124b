package vault

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
	"github.com/minio/minio-go/v7"
)

// inboxDir is the agreed place of an organisation's inbox in a shared
// bucket: "inbox/" and 32 hex digits of a hash of its verify key, which
// every partner holding its card can compute (and the store cannot link to
// a name without the card).
func inboxDir(vk ed25519.PublicKey) string {
	h := sha256.Sum256(append([]byte("casevault inbox v1\x00"), vk...))
	return "inbox/" + hex.EncodeToString(h[:16]) + "/"
}

// SendBundleResult is a bundle exported and left in a partner's inbox.
type SendBundleResult struct {
	*BundleExportResult
	Remote string `json:"remote"`
	Object string `json:"object"`
}

// SendBundle exports a bundle for o.To (as ExportBundle: encrypted to the
// partner, signed by us) and puts it in the partner's inbox on the remote,
// verified by hash; the local bundle file is removed afterwards.
func (v *Vault) SendBundle(ctx context.Context, remote string, o ExportBundleOptions) (*SendBundleResult, error) {
	r, err := v.Remote(remote)
	if err != nil {
		return nil, err
	}
	org, err := v.Org(o.To)
	if err != nil {
		return nil, err
	}
	s, err := openObjStore(r)
	if err != nil {
		return nil, err
	}
	if err := s.ensureBucket(ctx); err != nil {
		return nil, err
	}
	v.removeInboxTemps()
	name := syncfmt.NewName()
	o.Out = filepath.Join(v.dir, sendTempPrefix+name)
	defer os.Remove(o.Out)
	res, err := v.ExportBundle(ctx, o)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(o.Out)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := s.putStream(ctx, inboxDir(org.VerifyKey), name, f, res.Size); err != nil {
		return nil, err
	}
	err = v.commit(func(c *change) error {
		if err := c.putJSON(inboxObjKey(r, name), v.keys.sys, syncObject{Kind: "inbox", Dir: "up", Size: res.Size, SHA256: res.SHA256, At: v.now()}); err != nil {
			return err
		}
		c.auditHash(OpSyncPush, []string{r.Name, name, res.BundleID}, mustHex(res.SHA256))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &SendBundleResult{BundleExportResult: res, Remote: r.Name, Object: name}, nil
}

// ReceiveResult is what ReceiveBundles found in our inbox.
type ReceiveResult struct {
	Imported []BundleImportResult `json:"imported"`
	Refused  map[string]string    `json:"refused"` // object -> why
	// NotRemoved names objects imported and recorded here that could not
	// be deleted from the inbox; the next receive deletes them.
	NotRemoved map[string]string `json:"not_removed,omitempty"` // object -> why
}

// maxInboxBundle bounds a bundle downloaded from an inbox (a variable so
// that tests can lower it).
var maxInboxBundle int64 = 64 << 30

// ReceiveBundles imports every bundle in our inbox on the remote that was
// not received before, each checked as 'bundle import' checks a file (known
// sender, signatures, hashes). Objects are judged by name and listed size
// before anything is read: a name that is not an object name, or a size
// over maxInboxBundle, is refused without downloading it. A bundle that is
// refused is named and left for the next time; the others are imported,
// recorded, and only then deleted from the inbox. The inboxes of the
// organisation's previous keys (before an identity rotation) are looked at
// too: what partners left there is encrypted to a key this vault no longer
// holds, and is named once.
//
// The inbox is tied to the organisation's identity, not to the master key:
// a rekey, a staff removal or a purge leaves it usable (unlike the sync
// prefix, see ErrRemoteRekeyed).
func (v *Vault) ReceiveBundles(ctx context.Context, remote string) (*ReceiveResult, error) {
	if err := v.needOwner("receiving bundles"); err != nil {
		return nil, err
	}
	r, err := v.Remote(remote)
	if err != nil {
		return nil, err
	}
	s, err := openObjStore(r)
	if err != nil {
		return nil, err
	}
	if err := s.ensureBucket(ctx); err != nil {
		return nil, err
	}
	v.removeInboxTemps()
	res := &ReceiveResult{Imported: []BundleImportResult{}, Refused: map[string]string{}}
	if err := v.receiveOldInboxes(ctx, r, s, res); err != nil {
		return res, err
	}
	dir := inboxDir(v.meta.VerifyKey)
	type listed struct {
		name string
		size int64
	}
	var objs []listed
	err = s.list(ctx, dir, func(name string, size int64) error {
		objs = append(objs, listed{name, size})
		return nil
	})
	if err != nil {
		return res, err
	}
	for _, o := range objs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		name := o.name
		if !syncfmt.ValidName(name) {
			res.Refused[name] = "not a casevault inbox object name"
			continue
		}
		var seen syncObject
		if err := v.inboxRecord(r, name, &seen); err == nil {
			// Imported and recorded before; its deletion did not
			// happen (a kill, a failure): delete it now.
			if seen.Dir == "down" && !seen.Gone {
				v.removeReceived(ctx, r, s, dir, name, seen, res)
			}
			continue
		} else if !errors.Is(err, errNoRecord) {
			return res, err
		}
		if o.size > maxInboxBundle || o.size <= 0 {
			res.Refused[name] = fmt.Sprintf("an object of %d bytes, where a bundle has 1 to %d bytes (not downloaded)", o.size, maxInboxBundle)
			continue
		}
		tmp := filepath.Join(v.dir, inboxTempPrefix+name)
		size, err := downloadInbox(ctx, s, dir, name, o.size, tmp)
		if err != nil {
			os.Remove(tmp)
			var re *RemoteError
			if errors.As(err, &re) && minio.ToErrorResponse(re.Err).Code == "NoSuchKey" {
				continue // gone since the listing
			}
			if errors.Is(err, errInboxObject) {
				res.Refused[name] = err.Error()
				continue
			}
			return res, err
		}
		ir, err := v.ImportBundle(ctx, tmp)
		os.Remove(tmp)
		if err != nil {
			var be *BundleError
			if errors.As(err, &be) || errors.Is(err, errs.ErrDamaged) || errors.Is(err, errs.ErrInvalid) {
				res.Refused[name] = err.Error()
				continue
			}
			return res, err
		}
		// A bundle imported before (received twice, or a receive killed
		// between the import and this record) is recorded and deleted
		// like a new one; ImportBundle changed nothing.
		rec := syncObject{Kind: "inbox", Dir: "down", Size: size, At: v.now()}
		err = v.commit(func(c *change) error {
			if err := c.putJSON(inboxObjKey(r, name), v.keys.sys, rec); err != nil {
				return err
			}
			c.audit(OpSyncPull, []string{r.Name, name, ir.BundleID}, nil)
			return nil
		})
		if err != nil {
			return res, err
		}
		if !ir.AlreadyImported {
			res.Imported = append(res.Imported, *ir)
		}
		v.removeReceived(ctx, r, s, dir, name, rec, res)
	}
	return res, nil
}

// inboxTempPrefix names the file a bundle is downloaded to in the vault
// directory.
const inboxTempPrefix = ".tmp-recv-"

// sendTempPrefix names the bundle file a send writes before uploading it.
const sendTempPrefix = ".tmp-send-"

// errInboxObject is an inbox object that is not what its listing said.
var errInboxObject = errors.New("inbox object")

// downloadInbox copies the object dir+name, listed with size bytes, to a
// new file tmp (a file left there by a killed receive is replaced). It
// reads at most size+1 bytes: an object that changed size since the
// listing is refused.
func downloadInbox(ctx context.Context, s *objStore, dir, name string, size int64, tmp string) (int64, error) {
	rc, got, err := s.getStream(ctx, dir, name)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	if got != size {
		return 0, fmt.Errorf("%w %s: %d bytes now, %d when listed (not downloaded)", errInboxObject, name, got, size)
	}
	_ = os.Remove(tmp) // left by a killed receive; removes a link, not its target
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, io.LimitReader(rc, size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, s.fail("download "+name, err)
	}
	if n != size {
		return 0, fmt.Errorf("%w %s: %d bytes read, %d listed", errInboxObject, name, n, size)
	}
	return n, nil
}

// removeReceived deletes an imported and recorded bundle from the inbox
// and records that; a failure is named in res and retried next time.
func (v *Vault) removeReceived(ctx context.Context, r *Remote, s *objStore, dir, name string, rec syncObject, res *ReceiveResult) {
	err := s.remove(ctx, dir, name)
	if err == nil {
		rec.Gone = true
		err = v.commit(func(c *change) error {
			if err := c.putJSON(inboxObjKey(r, name), v.keys.sys, rec); err != nil {
				return err
			}
			c.audit(OpSyncDelete, []string{r.Name, name}, nil)
			return nil
		})
	}
	if err != nil {
		if res.NotRemoved == nil {
			res.NotRemoved = map[string]string{}
		}
		res.NotRemoved[name] = err.Error()
	}
}

// removeInboxTemps removes the files a killed send or receive left in the
// vault directory (a bundle encrypted to a partner, a download).
func (v *Vault) removeInboxTemps() {
	ents, err := os.ReadDir(v.dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		for _, pfx := range []string{inboxTempPrefix, sendTempPrefix} {
			if n, ok := strings.CutPrefix(e.Name(), pfx); ok && syncfmt.ValidName(n) {
				_ = os.Remove(filepath.Join(v.dir, e.Name()))
			}
		}
	}
}

// receiveOldInboxes names, once each, the objects partners left in the
// inboxes of this organisation's keys before an identity rotation: they
// are encrypted to the previous identity, which this vault no longer
// holds, so they are not downloaded; the sender needs the rotation card.
func (v *Vault) receiveOldInboxes(ctx context.Context, r *Remote, s *objStore, res *ReceiveResult) error {
	for _, p := range v.meta.PreviousKeys {
		dir := inboxDir(p.VerifyKey)
		var names []string
		err := s.list(ctx, dir, func(name string, size int64) error {
			if syncfmt.ValidName(name) {
				names = append(names, name)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, name := range names {
			var seen syncObject
			err := v.inboxRecord(r, name, &seen)
			if err == nil {
				continue
			}
			if !errors.Is(err, errNoRecord) {
				return err
			}
			res.Refused[name] = fmt.Sprintf("%v (replaced on %s)", ErrOldInbox, p.Rotated.UTC().Format("2006-01-02"))
			err = v.commit(func(c *change) error {
				if err := c.putJSON(inboxObjKey(r, name), v.keys.sys, syncObject{Kind: "inbox", Dir: "old-key", At: v.now()}); err != nil {
					return err
				}
				c.audit(OpSyncPull, []string{r.Name, name, "previous key"}, nil)
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// inboxRecord reads the journal record of inbox object name into rec;
// errNoRecord if there is none. A vault written before the inbox had its
// own journal (I) recorded inbox objects under the sync journal (G): a
// record there counts only when it is of kind "inbox" (a pack or blob of
// the same name is another object). Such old records are read, never
// rewritten there; a new record goes to I.
func (v *Vault) inboxRecord(r *Remote, name string, rec *syncObject) error {
	return v.view(func(txn *store.Txn) error {
		err := v.getJSON(txn, inboxObjKey(r, name), v.keys.sys, rec)
		if !errors.Is(err, errNoRecord) {
			return err
		}
		var old syncObject
		if err := v.getJSON(txn, syncObjKey(r, name), v.keys.sys, &old); err != nil {
			return err
		}
		if old.Kind != "inbox" {
			return errNoRecord
		}
		*rec = old
		return nil
	})
}

// ErrOldInbox describes a bundle left in the inbox of this organisation's
// key before an identity rotation.
var ErrOldInbox = errors.New("sent to this organisation's previous key, which this vault no longer holds: the sender does not have the rotation card; give them the current card and ask them to send it again")
