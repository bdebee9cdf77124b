package vault

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/atomicfile"
	"github.com/casevault/casevault/vault/internal/bundlefmt"
	"github.com/casevault/casevault/vault/internal/store"
)

// partsDir holds bundle parts kept until the other parts arrive: each is
// the part file as received (age-encrypted to this organisation), named
// by a sealed record P bundle(10) part(4).
const partsDir = "parts"

const pPart = store.PPart

func partKey(b BundleID, n int) []byte { return key(pPart, b[:], u32(uint32(n))) }
func partPrefix(b BundleID) []byte     { return key(pPart, b[:]) }

// partRecord is a bundle part kept in the vault.
type partRecord struct {
	BundleID       string    `json:"bundle_id"`
	Part           int       `json:"part"`
	Parts          int       `json:"parts"`
	ManifestSHA256 string    `json:"manifest_sha256"`
	Offset         int64     `json:"offset"`
	Size           int64     `json:"size"`
	File           string    `json:"file"` // name in parts/
	FileSHA256     string    `json:"file_sha256"`
	Org            string    `json:"org"`
	Received       time.Time `json:"received"`
}

// BundlePartsPending says which parts of a bundle the vault holds after an
// import that did not have them all.
type BundlePartsPending struct {
	BundleID string `json:"bundle_id"`
	Org      string `json:"org"`
	Parts    int    `json:"parts"`
	Have     []int  `json:"have"`
	Missing  []int  `json:"missing"`
	Kept     []int  `json:"kept"` // the parts this import added
}

// partSource is one part to read: a file given, or one kept in the vault.
type partSource struct {
	path   string
	hdr    *bundlefmt.PartHeader
	stored *partRecord
}

// ImportBundleFiles imports a bundle given as one file, or as any of its
// numbered parts in any order. Parts of one bundle only: a part of another
// bundle, a part given twice with different content or a part that is not
// signed by a known partner is refused, naming the file. When parts are
// missing, those given are kept in the vault (as received, encrypted) and
// the result says which are missing; the import runs, in one transaction,
// once all have arrived.
func (v *Vault) ImportBundleFiles(ctx context.Context, paths []string) (*BundleImportResult, *BundlePartsPending, error) {
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("%w: no bundle file", ErrInvalid)
	}
	var given []*partSource
	for _, p := range paths {
		isPart, err := v.isBundlePart(ctx, p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		if !isPart {
			if len(paths) == 1 {
				res, err := v.ImportBundle(ctx, p)
				return res, nil, err
			}
			return nil, nil, &BundleError{Msg: fmt.Sprintf("%s is a whole bundle, not a part: import it on its own", p)}
		}
		hdr, _, err := v.readPartHeader(ctx, p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		given = append(given, &partSource{path: p, hdr: hdr})
	}
	first := given[0]
	byPart := map[int]*partSource{}
	for _, g := range given {
		h := g.hdr
		if h.BundleID != first.hdr.BundleID {
			return nil, nil, &BundleError{Msg: fmt.Sprintf("%s is part %d of bundle %s, but %s is part of bundle %s: give the parts of one bundle", g.path, h.Part, h.BundleID, first.path, first.hdr.BundleID)}
		}
		if err := samePartBundle(first.hdr, h); err != nil {
			return nil, nil, &BundleError{Msg: fmt.Sprintf("%s and %s: %v", first.path, g.path, err), Tampered: true}
		}
		if o, dup := byPart[h.Part]; dup {
			return nil, nil, &BundleError{Msg: fmt.Sprintf("part %d of %d of bundle %s is given twice (%s and %s)", h.Part, h.Parts, h.BundleID, o.path, g.path)}
		}
		byPart[h.Part] = g
	}
	bid, _ := ParseBundleID(first.hdr.BundleID)
	var org *Org
	var stored []*partRecord
	done := false
	err := v.view(func(txn *store.Txn) error {
		var err error
		org, err = v.knownSender(txn, &Manifest{Sender: first.hdr.Sender})
		if err != nil {
			return err
		}
		var rec BundleRecord
		switch err := v.getJSON(txn, bundleKey(bid), v.keys.sys, &rec); {
		case err == nil && rec.Direction == "import" && rec.ManifestSHA256 == first.hdr.ManifestSHA256:
			done = true
			return nil
		case err == nil:
			return &BundleError{Msg: fmt.Sprintf("its bundle ID %s is already used by another bundle in this vault", bid)}
		case !errors.Is(err, errNoRecord):
			return err
		}
		stored, err = v.storedParts(txn, bid)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if done {
		return &BundleImportResult{BundleID: bid.String(), Org: org.Name, AlreadyImported: true}, nil, nil
	}
	for _, s := range stored {
		h := &bundlefmt.PartHeader{BundleID: s.BundleID, Part: s.Part, Parts: s.Parts, ManifestSHA256: s.ManifestSHA256,
			Offset: s.Offset, Size: s.Size, StreamSize: first.hdr.StreamSize, Sender: first.hdr.Sender, Recipient: first.hdr.Recipient}
		if s.Parts != first.hdr.Parts || s.ManifestSHA256 != first.hdr.ManifestSHA256 {
			return nil, nil, &BundleError{Msg: fmt.Sprintf("part %d kept in this vault for bundle %s belongs to another bundle of that ID: refused", s.Part, bid), Tampered: true}
		}
		if _, ok := byPart[s.Part]; !ok {
			byPart[s.Part] = &partSource{hdr: h, stored: s}
		}
	}
	pend := &BundlePartsPending{BundleID: bid.String(), Org: org.Name, Parts: first.hdr.Parts}
	for n := 1; n <= first.hdr.Parts; n++ {
		if byPart[n] == nil {
			pend.Missing = append(pend.Missing, n)
		} else {
			pend.Have = append(pend.Have, n)
		}
	}
	if len(pend.Missing) > 0 {
		if err := v.keepParts(ctx, bid, org.Name, given, stored, pend); err != nil {
			return nil, nil, err
		}
		return nil, pend, nil
	}
	// Every part is here: the pieces must tile the stream.
	var off int64
	srcs := make([]*partSource, first.hdr.Parts)
	for n := 1; n <= first.hdr.Parts; n++ {
		s := byPart[n]
		if s.hdr.Offset != off {
			return nil, nil, &BundleError{Msg: fmt.Sprintf("part %d starts at byte %d, the parts before it end at %d", n, s.hdr.Offset, off), Tampered: true}
		}
		off += s.hdr.Size
		srcs[n-1] = s
	}
	if off != first.hdr.StreamSize {
		return nil, nil, &BundleError{Msg: fmt.Sprintf("the parts hold %d bytes, their headers say %d", off, first.hdr.StreamSize), Tampered: true}
	}
	chain := &partChain{v: v, ctx: ctx, srcs: srcs}
	defer chain.close()
	ph := &partsHook{manifestSHA256: first.hdr.ManifestSHA256, commit: func(c *change) error {
		for _, s := range stored {
			if err := c.del(partKey(bid, s.Part)); err != nil {
				return err
			}
			path := filepath.Join(v.dir, partsDir, s.File)
			c.onCommit(func() { _ = ShredFile(path) })
		}
		return nil
	}}
	res, err := v.importStream(ctxReader{ctx, chain}, ph)
	return res, nil, err
}

// samePartBundle checks that two part headers describe the same bundle.
func samePartBundle(a, b *bundlefmt.PartHeader) error {
	switch {
	case a.Parts != b.Parts:
		return fmt.Errorf("one says the bundle has %d parts, the other %d", a.Parts, b.Parts)
	case a.ManifestSHA256 != b.ManifestSHA256 || a.StreamSize != b.StreamSize:
		return errors.New("they describe different bundles under one bundle ID")
	case string(a.Sender.VerifyKey) != string(b.Sender.VerifyKey) || a.Recipient.Recipient != b.Recipient.Recipient:
		return errors.New("they name different senders or recipients")
	}
	return nil
}

// isBundlePart reports whether a bundle file is a part (its first entry is
// a part header) rather than a whole bundle.
func (v *Vault) isBundlePart(ctx context.Context, path string) (bool, error) {
	r, done, err := v.openBundle(ctx, path)
	if err != nil {
		return false, err
	}
	defer done()
	hdr, err := tar.NewReader(r).Next()
	if err != nil {
		var be *BundleError
		if errors.As(err, &be) {
			return false, be // the encrypted data does not authenticate
		}
		return false, nil // the bundle reader says what is wrong
	}
	return bundlefmt.IsPart(hdr), nil
}

// readPartHeader reads and checks a part's header: signed by a known, not
// removed partner, addressed to this vault.
func (v *Vault) readPartHeader(ctx context.Context, path string) (*bundlefmt.PartHeader, *Org, error) {
	r, done, err := v.openBundle(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	pr, err := bundlefmt.NewPartReader(r)
	if err != nil {
		return nil, nil, err
	}
	org, err := v.partSender(pr)
	if err != nil {
		return nil, nil, err
	}
	return pr.Header, org, nil
}

// partSender checks a part header's signature and addressee.
func (v *Vault) partSender(pr *bundlefmt.PartReader) (*Org, error) {
	h := pr.Header
	var org *Org
	err := v.view(func(txn *store.Txn) error {
		var err error
		org, err = v.knownSender(txn, &Manifest{Sender: h.Sender})
		return err
	})
	if err != nil {
		return nil, err
	}
	if !pr.Verify(func(msg, sig []byte) bool { return crypto.Verify(org.VerifyKey, msg, sig) }) {
		return nil, &BundleError{Msg: fmt.Sprintf("part %d of bundle %s: its signature does not verify with the key of %q (altered, or not made by them)", h.Part, h.BundleID, org.Name), Tampered: true}
	}
	if h.Recipient.Recipient != v.meta.Recipient {
		return nil, &BundleError{Msg: fmt.Sprintf("part %d of bundle %s is addressed to %q, not to this organisation", h.Part, h.BundleID, h.Recipient.Org)}
	}
	return org, nil
}

// storedParts returns the parts of a bundle kept in the vault.
func (v *Vault) storedParts(txn *store.Txn, bid BundleID) ([]*partRecord, error) {
	var out []*partRecord
	err := eachKey(txn, partPrefix(bid), true, func(k []byte, item *store.Item) error {
		sealed, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		var rec partRecord
		if err := openJSON(k, v.keys.sys, sealed, &rec); err != nil {
			return err
		}
		if rec.BundleID != bid.String() || len(k) != 1+idLen+4 || uint32(rec.Part) != beU32(k[1+idLen:]) || filepath.Base(rec.File) != rec.File {
			return &CorruptError{What: describeKey(k), Err: errors.New("the record does not match its key")}
		}
		out = append(out, &rec)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Part < out[j].Part })
	return out, err
}

func beU32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// keepParts copies the given parts that the vault does not hold yet into
// parts/ (as received: encrypted to this organisation) and records them,
// the records in one transaction once every file is in place.
func (v *Vault) keepParts(ctx context.Context, bid BundleID, org string, given []*partSource, stored []*partRecord, pend *BundlePartsPending) error {
	have := map[int]*partRecord{}
	for _, s := range stored {
		have[s.Part] = s
	}
	dir := filepath.Join(v.dir, partsDir)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s is not a directory: refused", dir)
	}
	var recs []*partRecord
	var written []string
	ok := false
	defer func() {
		if !ok {
			for _, p := range written {
				_ = ShredFile(p)
			}
		}
	}()
	for _, g := range given {
		h := g.hdr
		if have[h.Part] != nil {
			continue // kept before
		}
		var rnd [8]byte
		_, _ = rand.Read(rnd[:])
		name := fmt.Sprintf("%s.part%d.%s.age", bid, h.Part, hex.EncodeToString(rnd[:]))
		path := filepath.Join(dir, name)
		sum := sha256.New()
		err := atomicfile.Write(path, func(w io.Writer) error {
			f, err := os.Open(g.path)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(io.MultiWriter(w, sum), ctxReader{ctx, f})
			return err
		}, atomicfile.Options{NoClobber: true, Sync: true, TempPrefix: ".casevault-part-"})
		if err != nil {
			return err
		}
		written = append(written, path)
		recs = append(recs, &partRecord{BundleID: bid.String(), Part: h.Part, Parts: h.Parts, ManifestSHA256: h.ManifestSHA256,
			Offset: h.Offset, Size: h.Size, File: name, FileSHA256: hex.EncodeToString(sum.Sum(nil)), Org: org, Received: v.now()})
		pend.Kept = append(pend.Kept, h.Part)
	}
	if len(recs) == 0 {
		ok = true
		return nil
	}
	err := v.commit(func(c *change) error {
		targets := []string{bid.String(), org}
		for _, r := range recs {
			if err := c.putJSON(partKey(bid, r.Part), v.keys.sys, r); err != nil {
				return err
			}
			targets = append(targets, fmt.Sprintf("part %d of %d", r.Part, r.Parts))
		}
		c.audit(OpBundlePart, targets, nil)
		return nil
	})
	if err == nil {
		ok = true
	}
	return err
}

// partChain reads the pieces of a bundle's stream from its parts in
// order, opening each when the one before it ends.
type partChain struct {
	v    *Vault
	ctx  context.Context
	srcs []*partSource
	i    int
	cur  io.Reader
	done func()
}

func (pc *partChain) close() {
	if pc.done != nil {
		pc.done()
		pc.done = nil
	}
}

func (pc *partChain) open() error {
	s := pc.srcs[pc.i]
	path := s.path
	if s.stored != nil {
		path = filepath.Join(pc.v.dir, partsDir, s.stored.File)
	}
	var lst os.FileInfo
	if s.stored != nil {
		// A kept part is read only as the regular file this vault wrote,
		// never through a link planted in its place.
		if fi, err := os.Lstat(path); err == nil {
			lst = fi
		}
		if lst != nil && !lst.Mode().IsRegular() {
			return &BundleError{Msg: fmt.Sprintf("part %d kept in this vault (%s) was replaced by a link or another kind of file: remove it and import that part again", s.hdr.Part, filepath.Join(partsDir, s.stored.File)), Tampered: true}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		if s.stored != nil {
			return fmt.Errorf("part %d kept in this vault is missing (%w): import that part again", s.hdr.Part, err)
		}
		return err
	}
	if lst != nil {
		if fst, err := f.Stat(); err != nil || !os.SameFile(lst, fst) {
			f.Close()
			return &BundleError{Msg: fmt.Sprintf("part %d kept in this vault (%s) was replaced while it was being opened: import that part again", s.hdr.Part, filepath.Join(partsDir, s.stored.File)), Tampered: true}
		}
	}
	r, err := age.Decrypt(bufio.NewReaderSize(f, 1<<16), pc.v.id.AgeIdentity())
	if err != nil {
		f.Close()
		return &BundleError{Msg: fmt.Sprintf("part %d cannot be decrypted", s.hdr.Part), Tampered: true, Err: err}
	}
	pc.done = func() { f.Close() }
	pr, err := bundlefmt.NewPartReader(bundlefmt.AuthReader(r))
	if err != nil {
		return err
	}
	org, err := pc.v.partSender(pr)
	if err != nil {
		return err
	}
	h := pr.Header
	if h.BundleID != s.hdr.BundleID || h.Part != s.hdr.Part || h.Offset != s.hdr.Offset || h.Size != s.hdr.Size || h.ManifestSHA256 != s.hdr.ManifestSHA256 {
		return &BundleError{Msg: fmt.Sprintf("part %d changed while it was being imported", s.hdr.Part), Tampered: true}
	}
	body, err := pr.Payload(func(msg, sig []byte) bool { return crypto.Verify(org.VerifyKey, msg, sig) })
	if err != nil {
		return err
	}
	pc.cur = body
	return nil
}

func (pc *partChain) Read(p []byte) (int, error) {
	for {
		if pc.i >= len(pc.srcs) {
			return 0, io.EOF
		}
		if pc.cur == nil {
			if err := pc.open(); err != nil {
				return 0, err
			}
		}
		n, err := pc.cur.Read(p)
		if err == io.EOF {
			pc.close()
			pc.cur = nil
			pc.i++
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}
