package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/atomicfile"
	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/keys"
	"github.com/openbao/openbao/sdk/v2/helper/shamir"
)

// Recovery: the organisation identity split K-of-N with Shamir's secret
// sharing among trustees, each share encrypted to one trustee and signed
// by the organisation (SECURITY.md, "Recovery"). The scheme is OpenBao's
// (HashiCorp Vault's) reviewed implementation; this file does no field
// arithmetic.

// Errors of recovery.
var (
	// ErrRecoveryShares: the shares given do not make a recovery: too few,
	// duplicates, or from different vaults or splits.
	ErrRecoveryShares = errs.New(errs.ErrInvalid, "recovery shares do not fit together")
	// ErrRecoveryShareDamaged: a share file does not decrypt or verify.
	ErrRecoveryShareDamaged = errs.New(errs.ErrDamaged, "recovery share damaged or altered")
	// ErrRecoveryNoIdentity: no trustee identity given opens a share.
	ErrRecoveryNoIdentity = errs.New(errs.ErrAuth, "no trustee identity given opens the share")
)

// ShareFileExt ends the name of every share file.
const ShareFileExt = ".casevault-share"

// RecoverySplitOptions describe a split.
type RecoverySplitOptions struct {
	// Threshold is K, the number of shares that restore the identity.
	Threshold int
	// Trustees are the staff cards (keys.ParseCard) of the trustees, one
	// share each, in this order.
	Trustees [][]byte
	// OutDir receives the share files (which must not exist yet).
	OutDir string
}

// RecoveryShareFile names one written share.
type RecoveryShareFile struct {
	Path        string `json:"path"`
	Trustee     string `json:"trustee"`
	Fingerprint string `json:"fingerprint"`
	Index       int    `json:"index"`
}

// RecoverySplitResult describes a split.
type RecoverySplitResult struct {
	Vault     string              `json:"vault"`
	Split     string              `json:"split"`
	Threshold int                 `json:"threshold"`
	Created   time.Time           `json:"created"`
	Shares    []RecoveryShareFile `json:"shares"`
}

// RecoverySplit splits the organisation identity among the trustees,
// Threshold of them needed to restore it, and writes one share file per
// trustee (0600, never replacing a file). The split is recorded in the
// audit log first; a failure afterwards removes the files written.
func (v *Vault) RecoverySplit(o RecoverySplitOptions) (*RecoverySplitResult, error) {
	if err := v.needOwner("recovery split"); err != nil {
		return nil, err
	}
	n := len(o.Trustees)
	if o.Threshold < 2 || o.Threshold > n || n > 255 {
		return nil, fmt.Errorf("recovery split: threshold %d of %d trustees is impossible (at least 2, at most the number of trustees, at most 255 trustees): %w", o.Threshold, n, ErrRecoveryShares)
	}
	cards := make([]*keys.Card, n)
	seen := map[string]bool{}
	for i, b := range o.Trustees {
		c, err := keys.ParseCard(b)
		if err != nil {
			return nil, fmt.Errorf("trustee %d: %w", i+1, err)
		}
		if seen[c.Recipient] {
			return nil, fmt.Errorf("trustee %d (%q): the same trustee twice would hold two shares: %w", i+1, c.Name, ErrRecoveryShares)
		}
		seen[c.Recipient] = true
		cards[i] = c
	}
	vid, err := v.VaultID()
	if err != nil {
		return nil, err
	}
	res := &RecoverySplitResult{Vault: vid, Split: randomHex(8), Threshold: o.Threshold, Created: v.now().Truncate(time.Second)}
	for i, c := range cards {
		res.Shares = append(res.Shares, RecoveryShareFile{Trustee: c.Name, Fingerprint: c.Fingerprint, Index: i + 1,
			Path: filepath.Join(o.OutDir, fmt.Sprintf("share-%s-%d-of-%d-%s%s", res.Split, i+1, n, fileSafe(c.Name), ShareFileExt))})
	}
	for _, s := range res.Shares {
		if _, err := os.Lstat(s.Path); err == nil {
			return nil, fmt.Errorf("%s: %w", s.Path, fs.ErrExist)
		}
	}
	secret := []byte(v.id.String())
	defer crypto.Wipe(secret)
	parts, err := shamir.Split(secret, n, o.Threshold)
	if err != nil {
		return nil, fmt.Errorf("recovery split: %w", err)
	}
	defer func() {
		for _, p := range parts {
			crypto.Wipe(p)
		}
	}()
	files := make([][]byte, n)
	for i, c := range cards {
		sh := keys.Share{Format: keys.ShareFormat, ShareTag: keys.ShareTag{Vault: vid, Split: res.Split, Index: i + 1, Of: n, Threshold: o.Threshold, Created: res.Created},
			Trustee: c.Name, TrusteeRecipient: c.Recipient, Org: v.meta.Org, OrgRecipient: v.orgRecipient(), OrgVerifyKey: v.orgVerifyKey(), Value: parts[i]}
		sh.Sig = v.id.Sign(sh.SignedMessage())
		pt, err := json.Marshal(sh)
		if err != nil {
			return nil, err
		}
		r, err := crypto.ParseRecipient(c.Recipient)
		if err != nil {
			return nil, err
		}
		ct, err := crypto.EncryptToRecipients(pt, r)
		crypto.Wipe(pt)
		if err != nil {
			return nil, err
		}
		files[i] = append([]byte(sh.ShareTag.Line()+"\n"), ct...)
	}
	targets := []string{res.Split}
	for _, c := range cards {
		targets = append(targets, keys.StaffID(c.VerifyKey))
	}
	if err := v.commit(func(c *change) error {
		c.audit(OpRecoverySplit, targets, []byte(res.Split))
		return nil
	}); err != nil {
		return nil, err
	}
	for i, s := range res.Shares {
		data := files[i]
		err := atomicfile.Write(s.Path, func(w io.Writer) error { _, err := w.Write(data); return err }, atomicfile.Options{NoClobber: true, Sync: true})
		if err != nil {
			for _, w := range res.Shares[:i] {
				_ = os.Remove(w.Path)
			}
			return nil, fmt.Errorf("writing %s: %w (the split is recorded in the audit log; no share file was kept)", s.Path, err)
		}
	}
	return res, nil
}

// fileSafe keeps the letters and digits of a name for a file name.
func fileSafe(name string) string {
	var b []rune
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b = append(b, r)
		case len(b) > 0 && b[len(b)-1] != '-':
			b = append(b, '-')
		}
		if len(b) >= 32 {
			break
		}
	}
	if len(b) == 0 {
		return "trustee"
	}
	return string(bytes.TrimRight([]byte(string(b)), "-"))
}

// RecoveryCombineOptions describe a recovery.
type RecoveryCombineOptions struct {
	// Shares are the share files' contents, by name (for messages).
	Shares map[string][]byte
	// Identities are the trustees' own identities, which decrypt their
	// shares in memory.
	Identities []*crypto.Identity
	// NewPassphrase seals the recovered identity in identity.age.
	NewPassphrase []byte
	// Backup, when not nil, is a backup file restored into the directory
	// (which must then be absent or empty) with the recovered identity.
	Backup io.Reader
	Options
}

// RecoveryCombineResult describes a recovery.
type RecoveryCombineResult struct {
	Vault  string `json:"vault"`
	Split  string `json:"split"`
	Org    string `json:"org"`
	Shares int    `json:"shares"`
}

// RecoveryCombine restores the organisation identity of the vault in dir
// from at least K shares, decrypted in memory with the trustees'
// identities, and seals it under a new passphrase (a new identity.age),
// recording recovery.combine in the audit log. Nothing secret is written
// but identity.age.
func RecoveryCombine(ctx context.Context, dir string, o RecoveryCombineOptions) (*RecoveryCombineResult, error) {
	if len(o.NewPassphrase) == 0 {
		return nil, errors.New("empty passphrase")
	}
	id, tag, org, err := combineShares(o.Shares, o.Identities)
	if err != nil {
		return nil, err
	}
	if o.Backup != nil {
		if _, err := Restore(ctx, o.Backup, dir, Unlock{Identity: id}, o.Options); err != nil {
			return nil, fmt.Errorf("restoring the backup with the recovered identity: %w", err)
		}
	}
	v, err := Open(dir, Unlock{Identity: id}, o.Options)
	if err != nil {
		if errors.Is(err, ErrWrongIdentity) {
			return nil, fmt.Errorf("the shares restore the identity of %q, which does not open the vault in %s: %w", org, dir, ErrRecoveryShares)
		}
		return nil, err
	}
	defer v.Close()
	if v.staff != nil || v.id == nil {
		return nil, fmt.Errorf("the shares restore a staff member's identity, not the organisation's: %w", ErrRecoveryShares)
	}
	vid, err := v.VaultID()
	if err != nil {
		return nil, err
	}
	if vid != tag.Vault {
		return nil, fmt.Errorf("the shares are from vault %s, the directory holds vault %s: %w", tag.Vault, vid, ErrRecoveryShares)
	}
	sealed, err := sealIdentity(v.id, o.NewPassphrase)
	if err != nil {
		return nil, err
	}
	if err := v.commit(func(c *change) error {
		c.audit(OpRecoveryCombine, []string{tag.Split}, []byte(tag.Split))
		return nil
	}); err != nil {
		return nil, err
	}
	if err := replaceFileOverwriting(filepath.Join(v.dir, identityFile), sealed); err != nil {
		return nil, fmt.Errorf("replacing %s: %w", identityFile, err)
	}
	return &RecoveryCombineResult{Vault: vid, Split: tag.Split, Org: org, Shares: len(o.Shares)}, nil
}

// combineShares checks the share files against each other, decrypts and
// verifies each, and combines them into the organisation identity.
func combineShares(files map[string][]byte, ids []*crypto.Identity) (*crypto.Identity, keys.ShareTag, string, error) {
	var first keys.ShareTag
	if len(files) == 0 {
		return nil, first, "", fmt.Errorf("no share given: %w", ErrRecoveryShares)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	type opened struct {
		name string
		tag  keys.ShareTag
		ct   []byte
	}
	var all []opened
	index := map[int]string{}
	for i, n := range names {
		tag, ct, err := keys.SplitShareFile(files[n])
		if err != nil {
			return nil, first, "", fmt.Errorf("%s: %w", n, err)
		}
		if i == 0 {
			first = tag
		} else if tag.Vault != first.Vault {
			return nil, first, "", fmt.Errorf("%s is a share of vault %s, %s of vault %s (shares from another vault): %w", n, tag.Vault, names[0], first.Vault, ErrRecoveryShares)
		} else if tag.Split != first.Split || tag.Threshold != first.Threshold || tag.Of != first.Of || !tag.Created.Equal(first.Created) {
			return nil, first, "", fmt.Errorf("%s is of split %s, %s of split %s (shares from another split): %w", n, tag.Split, names[0], first.Split, ErrRecoveryShares)
		}
		if other, dup := index[tag.Index]; dup {
			return nil, first, "", fmt.Errorf("%s and %s are the same share (number %d): %w", other, n, tag.Index, ErrRecoveryShares)
		}
		index[tag.Index] = n
		all = append(all, opened{n, tag, ct})
	}
	if len(all) < first.Threshold {
		return nil, first, "", fmt.Errorf("%d shares given, split %s needs %d: %w", len(all), first.Split, first.Threshold, ErrRecoveryShares)
	}
	var values [][]byte
	defer func() {
		for _, b := range values {
			crypto.Wipe(b)
		}
	}()
	var orgKey []byte
	var org string
	for _, s := range all {
		var pt []byte
		var err error
		for _, id := range ids {
			pt, err = crypto.DecryptWithIdentity(s.ct, id.AgeIdentity(), keys.MaxShareFile)
			var nm *age.NoIdentityMatchError
			if !errors.As(err, &nm) {
				break
			}
		}
		if pt == nil && err == nil {
			err = &age.NoIdentityMatchError{}
		}
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, first, "", fmt.Errorf("%s (share %d): %w", s.name, s.tag.Index, ErrRecoveryNoIdentity)
		}
		if err != nil {
			return nil, first, "", fmt.Errorf("%s: %w: %v", s.name, ErrRecoveryShareDamaged, err)
		}
		sh, err := keys.ParseShare(pt, s.tag)
		crypto.Wipe(pt)
		if err != nil {
			return nil, first, "", fmt.Errorf("%s: %w: %v", s.name, ErrRecoveryShareDamaged, err)
		}
		if orgKey == nil {
			orgKey, org = sh.OrgVerifyKey, sh.Org
		} else if !bytes.Equal(orgKey, sh.OrgVerifyKey) {
			return nil, first, "", fmt.Errorf("%s is signed by another organisation key than the other shares: %w", s.name, ErrRecoveryShares)
		}
		values = append(values, sh.Value)
	}
	secret, err := shamir.Combine(values)
	if err != nil {
		return nil, first, "", fmt.Errorf("combining the shares: %w", ErrRecoveryShareDamaged)
	}
	defer crypto.Wipe(secret)
	id, err := crypto.ParseIdentity(secret)
	if err != nil || !bytes.Equal(id.VerifyKey(), orgKey) {
		return nil, first, "", fmt.Errorf("the shares do not combine into the organisation's identity: %w", ErrRecoveryShareDamaged)
	}
	return id, first, org, nil
}
