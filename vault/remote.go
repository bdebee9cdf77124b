package vault

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/casevault/casevault/vault/internal/errs"
	"github.com/casevault/casevault/vault/internal/store"
)

// NotFoundRemote is the kind of a remote name the vault does not hold.
const NotFoundRemote NotFoundKind = "remote"

// ErrBadRemote is returned for a remote URL, endpoint, name or credentials
// file that is not acceptable.
var ErrBadRemote = errs.New(errs.ErrInvalid, "invalid remote")

// ErrRemoteExists is returned by AddRemote for a name already in use.
var ErrRemoteExists = errs.New(errs.ErrExists, "a remote of that name already exists")

// A Remote is an S3-compatible object store the vault syncs with. It is
// kept sealed under the sys key (credentials included); Secret is never
// printed.
type Remote struct {
	ID        []byte    `json:"id"` // 8 random bytes: the key of its records
	Name      string    `json:"name"`
	Bucket    string    `json:"bucket"`
	Prefix    string    `json:"prefix"` // "" or ending in "/"
	Endpoint  string    `json:"endpoint"`
	AccessKey string    `json:"access_key"`
	Secret    string    `json:"secret"`
	Added     time.Time `json:"added"`
	// Rekeyed is when the vault's master key changed after the remote
	// was added (rekey, staff removal, purge, rotation): the objects under
	// its prefix are sealed under the old sync key, and sync refuses it.
	Rekeyed time.Time `json:"rekeyed,omitzero"`
}

// URL is the remote's s3:// address.
func (r *Remote) URL() string { return "s3://" + r.Bucket + "/" + r.Prefix }

// Credentials are the keys an object store is opened with.
type Credentials struct {
	AccessKey, Secret string
}

// ParseCredentials reads a credentials file: either the two lines
// "ACCESS_KEY\nSECRET", or lines KEY=VALUE / "key = value" naming
// aws_access_key_id and aws_secret_access_key (as in ~/.aws/credentials,
// first profile), or AWS_ACCESS_KEY_ID=... / AWS_SECRET_ACCESS_KEY=....
func ParseCredentials(b []byte) (Credentials, error) {
	if len(b) > 64<<10 {
		return Credentials{}, fmt.Errorf("%w: credentials file larger than 64 KiB", ErrBadRemote)
	}
	var c Credentials
	var plain []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if c.AccessKey != "" || c.Secret != "" {
				break
			}
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		if !ok {
			plain = append(plain, line)
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "aws_access_key_id", "access_key":
			c.AccessKey = strings.TrimSpace(val)
		case "aws_secret_access_key", "secret_key", "secret":
			c.Secret = strings.TrimSpace(val)
		}
	}
	if c.AccessKey == "" && c.Secret == "" && len(plain) == 2 {
		c.AccessKey, c.Secret = plain[0], plain[1]
	}
	if c.AccessKey == "" || c.Secret == "" {
		return Credentials{}, fmt.Errorf("%w: the credentials file names no access key and secret (two lines, or aws_access_key_id and aws_secret_access_key)", ErrBadRemote)
	}
	return c, nil
}

// ParseRemoteURL splits s3://BUCKET/PREFIX.
func ParseRemoteURL(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%w: %q is not an s3://BUCKET/PREFIX address", ErrBadRemote, s)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return "", "", fmt.Errorf("%w: bucket %q: 3 to 63 lower-case letters, digits, dots and hyphens", ErrBadRemote, bucket)
	}
	prefix = strings.Trim(prefix, "/")
	if len(prefix) > 200 || strings.Contains(prefix, "//") || strings.Contains(prefix, "..") ||
		strings.ContainsFunc(prefix, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "", "", fmt.Errorf("%w: prefix %q: at most 200 characters, no '..', no control characters", ErrBadRemote, prefix)
	}
	if prefix != "" {
		prefix += "/"
	}
	return bucket, prefix, nil
}

func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

func validRemoteName(n string) bool {
	if n == "" || len(n) > 32 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// AddRemote stores a remote.
func (v *Vault) AddRemote(name, rawURL, endpoint string, cred Credentials) (*Remote, error) {
	if !validRemoteName(name) {
		return nil, fmt.Errorf("%w: name %q: 1 to 32 letters, digits, '.', '_' or '-'", ErrBadRemote, name)
	}
	bucket, prefix, err := ParseRemoteURL(rawURL)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.User != nil || u.RawQuery != "" {
		return nil, fmt.Errorf("%w: endpoint %q: give http(s)://HOST[:PORT] of the object store", ErrBadRemote, endpoint)
	}
	if cred.AccessKey == "" || cred.Secret == "" {
		return nil, fmt.Errorf("%w: no credentials (an access key and a secret)", ErrBadRemote)
	}
	r := &Remote{ID: make([]byte, 8), Name: name, Bucket: bucket, Prefix: prefix, Endpoint: u.Scheme + "://" + u.Host,
		AccessKey: cred.AccessKey, Secret: cred.Secret, Added: v.now()}
	if _, err := rand.Read(r.ID); err != nil {
		return nil, err
	}
	err = v.commit(func(c *change) error {
		rs, err := v.remotes(c.txn)
		if err != nil {
			return err
		}
		for _, o := range rs {
			if strings.EqualFold(o.Name, name) {
				return fmt.Errorf("remote %q: %w", name, ErrRemoteExists)
			}
		}
		if err := c.putJSON(key(store.PRemote, r.ID), v.keys.sys, r); err != nil {
			return err
		}
		c.audit(OpRemoteAdd, []string{name}, []byte(r.Endpoint+"\n"+r.URL()))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Remotes lists the vault's remotes by name.
func (v *Vault) Remotes() ([]Remote, error) {
	var rs []Remote
	err := v.view(func(txn *store.Txn) error {
		var err error
		rs, err = v.remotes(txn)
		return err
	})
	return rs, err
}

func (v *Vault) remotes(txn *store.Txn) ([]Remote, error) {
	var rs []Remote
	err := eachKey(txn, []byte{store.PRemote}, true, func(k []byte, item *store.Item) error {
		var r Remote
		if _, err := itemJSON(item, v.keys.sys, &r); err != nil {
			return err
		}
		rs = append(rs, r)
		return nil
	})
	sort.Slice(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
	return rs, err
}

// Remote returns the remote called name; with name empty, the only remote
// (an error when there are none or several).
func (v *Vault) Remote(name string) (*Remote, error) {
	rs, err := v.Remotes()
	if err != nil {
		return nil, err
	}
	return pickRemote(rs, name)
}

func pickRemote(rs []Remote, name string) (*Remote, error) {
	if name == "" {
		switch len(rs) {
		case 0:
			return nil, &NotFoundError{Kind: NotFoundRemote, ID: "(none added)"}
		case 1:
			return &rs[0], nil
		}
		return nil, fmt.Errorf("%w: the vault has %d remotes: name one", ErrBadRemote, len(rs))
	}
	for i := range rs {
		if strings.EqualFold(rs[i].Name, name) {
			return &rs[i], nil
		}
	}
	return nil, &NotFoundError{Kind: NotFoundRemote, ID: name}
}

// RemoveRemote forgets a remote and its sync journal. Nothing is deleted
// from the object store, and evidence offloaded to it must be fetched
// back first (refused otherwise).
func (v *Vault) RemoveRemote(name string) error {
	return v.commit(func(c *change) error {
		rs, err := v.remotes(c.txn)
		if err != nil {
			return err
		}
		r, err := pickRemote(rs, name)
		if err != nil || name == "" {
			if err == nil {
				err = &NotFoundError{Kind: NotFoundRemote, ID: name}
			}
			return err
		}
		n := 0
		if err := eachKey(c.txn, []byte{store.POffload}, true, func(k []byte, item *store.Item) error {
			var s offloadStub
			if _, err := itemJSON(item, v.keys.sys, &s); err != nil {
				return err
			}
			if string(s.Remote) == string(r.ID) {
				n++
			}
			return nil
		}); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: %d evidence items are kept only on remote %q: it cannot be removed while they are (save and remove them first)", ErrBadRemote, n, r.Name)
		}
		var dels [][]byte
		for _, p := range []byte{store.PSyncCase, store.PSyncObj, store.PInboxObj} {
			if err := eachKey(c.txn, []byte{p}, false, func(k []byte, _ *store.Item) error {
				if journalRemote(k) == string(r.ID) {
					dels = append(dels, k)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		dels = append(dels, key(store.PRemote, r.ID))
		for _, k := range dels {
			if err := c.del(k); err != nil {
				return err
			}
		}
		c.audit(OpRemoteRm, []string{r.Name}, nil)
		return nil
	})
}

// journalRemote returns the remote ID a sync journal key names.
func journalRemote(k []byte) string {
	switch {
	case len(k) == 19 && k[0] == store.PSyncCase:
		return string(k[11:19])
	case len(k) == 25 && (k[0] == store.PSyncObj || k[0] == store.PInboxObj):
		return string(k[1:9])
	}
	return ""
}

var errRemoteUnreachable = errors.New("object store unreachable")
