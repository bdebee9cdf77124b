package vault

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
	"github.com/casevault/casevault/vault/internal/syncfmt"
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
	name := syncfmt.NewName()
	o.Out = filepath.Join(v.dir, ".tmp-send-"+name)
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
		if err := c.putJSON(syncObjKey(r, name), v.keys.sys, syncObject{Kind: "inbox", Dir: "up", Size: res.Size, SHA256: res.SHA256, At: v.now()}); err != nil {
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
}

// maxInboxBundle bounds a bundle downloaded from an inbox.
const maxInboxBundle = 64 << 30

// ReceiveBundles imports every bundle in our inbox on the remote that was
// not received before, each checked as 'bundle import' checks a file (known
// sender, signatures, hashes). A bundle that is refused is named and left
// for the next time; the others are imported.
func (v *Vault) ReceiveBundles(ctx context.Context, remote string) (*ReceiveResult, error) {
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
	dir := inboxDir(v.meta.VerifyKey)
	var names []string
	err = s.list(ctx, dir, func(name string, size int64) error {
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := &ReceiveResult{Imported: []BundleImportResult{}, Refused: map[string]string{}}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if !syncfmt.ValidName(name) {
			res.Refused[name] = "not a casevault inbox object name"
			continue
		}
		var seen syncObject
		if err := v.view(func(txn *store.Txn) error { return v.getJSON(txn, syncObjKey(r, name), v.keys.sys, &seen) }); err == nil {
			continue
		} else if !errors.Is(err, errNoRecord) {
			return res, err
		}
		rc, size, err := s.getStream(ctx, dir, name)
		if err != nil {
			return res, err
		}
		tmp := filepath.Join(v.dir, ".tmp-recv-"+name)
		err = func() error {
			defer rc.Close()
			if size > maxInboxBundle {
				return errors.New("larger than 64 GiB")
			}
			f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, io.LimitReader(rc, size))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		}()
		if err != nil {
			os.Remove(tmp)
			return res, s.fail("download "+name, err)
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
		err = v.commit(func(c *change) error {
			if err := c.putJSON(syncObjKey(r, name), v.keys.sys, syncObject{Kind: "inbox", Dir: "down", Size: size, At: v.now()}); err != nil {
				return err
			}
			c.audit(OpSyncPull, []string{r.Name, name, ir.BundleID}, nil)
			return nil
		})
		if err != nil {
			return res, err
		}
		res.Imported = append(res.Imported, *ir)
	}
	return res, nil
}
