package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/atomicfile"
	"github.com/casevault/casevault/vault/internal/bundlefmt"
	"github.com/casevault/casevault/vault/internal/store"
)

// ExportBundleOptions say what goes into a bundle.
type ExportBundleOptions struct {
	// To is the receiving organisation's name.
	To string
	// Cases are the cases to send; each must be shared with To. Empty
	// means every case shared with To.
	Cases []CaseID
	// Out is the bundle file to write; it must not exist.
	Out string
	// MaxSize is the largest file to write: a larger bundle is written as
	// numbered parts (NAME.part1of3.age…). 0: DefaultMaxBundleSize.
	MaxSize int64
	// Evidence are evidence files to send besides those the shared copies
	// refer to (mistreatment[].evidence): each must belong to a case
	// shared with To, which then goes in the bundle too.
	Evidence []EvidenceID
}

// A BundleRecord is what the vault keeps of a bundle it exported or
// imported (store key b bundle-ID, sealed under the sys key).
type BundleRecord struct {
	ID             string       `json:"id"`
	Direction      string       `json:"direction"` // "export" or "import"
	Org            string       `json:"org"`
	Created        time.Time    `json:"created"` // as the manifest says
	Time           time.Time    `json:"time"`    // of export or import here
	ManifestSHA256 string       `json:"manifest_sha256"`
	Cases          []BundleCase `json:"cases"`
	Evidence       []string     `json:"evidence,omitempty"`
	FileSHA256     string       `json:"file_sha256,omitempty"` // exported bundle file
	Witnessed      *AuditHead   `json:"witnessed,omitempty"`   // sender's audit head (import)
}

// A BundleCase pairs a case in a bundle with the case it is here.
type BundleCase struct {
	Origin string `json:"origin"`           // case ID in the sender's vault
	Case   string `json:"case,omitempty"`   // case ID here (import)
	Rev    uint32 `json:"rev"`              // origin revision
	Result string `json:"result,omitempty"` // import: added, updated, unchanged, older, conflict, rejected
	// Reason says why a case was rejected (the bundle's other cases are
	// imported).
	Reason string `json:"reason,omitempty"`
	// Conflict is the number of the conflict revision recorded (result
	// conflict): 'casevault case resolve' decides.
	Conflict uint32 `json:"conflict,omitempty"`
	// Returned is true for our own case sent back by the partner.
	Returned bool `json:"returned,omitempty"`
}

// BundleExportResult describes a written bundle.
type BundleExportResult struct {
	BundleID string   `json:"bundle_id"`
	Org      string   `json:"org"`
	File     string   `json:"file"`
	Cases    []string `json:"cases"`
	Evidence []string `json:"evidence,omitempty"`
	Size     int64    `json:"size"`
	SHA256   string   `json:"sha256"`
	// Parts are the files of a bundle written in numbered parts (File
	// is then the first); SHA256 is of the parts' SHA-256s in order.
	Parts []string `json:"parts,omitempty"`
}

// bundleItem is one entry to write: its manifest line and how to write
// its bytes.
type bundleItem struct {
	entry ManifestEntry
	data  []byte                  // case entries
	write func(w io.Writer) error // evidence entries
	// entryRev is the origin revision of a case entry.
	entryRev uint32
}

// ExportBundle writes the cases shared with an organisation, each filtered
// to its share's fields, into a bundle file encrypted to the
// organisation's recipient and signed with this vault's key. The file is
// written to a temporary file beside Out (mode 0600, O_EXCL) and renamed
// when complete; the export is recorded (bundle record and audit entry
// bundle.export) once the file is in place.
func (v *Vault) ExportBundle(ctx context.Context, o ExportBundleOptions) (*BundleExportResult, error) {
	if err := v.needOwner("bundle export"); err != nil {
		return nil, err
	}
	if o.Out == "" {
		return nil, errors.New("no output file")
	}
	if _, err := os.Lstat(o.Out); err == nil {
		return nil, fmt.Errorf("%s already exists: choose a new file name", o.Out)
	}
	bid := NewBundleID()
	var org *Org
	var items []bundleItem
	var rec BundleRecord
	head, err := v.AuditHead()
	if err != nil {
		return nil, err
	}
	err = v.view(func(txn *store.Txn) error {
		var err error
		org, err = v.unambiguousOrg(txn, o.To)
		if err != nil {
			return err
		}
		mac := v.orgMAC(org.Name)
		shares, err := v.shares(txn, nil, mac)
		if err != nil {
			return err
		}
		byCase := map[string]Share{}
		for _, s := range shares {
			byCase[s.Case] = s
		}
		ids := o.Cases
		extra, err := v.extraEvidence(txn, org.Name, byCase, o.Evidence)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			for _, id := range sortedCases(extra) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			for _, s := range shares {
				id, err := ParseCaseID(s.Case)
				if err != nil {
					return &CorruptError{What: "share", Err: err}
				}
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return &NotFoundError{Kind: NotFoundSharedCase, ID: fmt.Sprintf("for %q", org.Name)}
		}
		seen := map[CaseID]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			if err := v.refuseQuarantined(txn, id); err != nil {
				return err
			}
			s, ok := byCase[id.String()]
			if !ok {
				if _, err := v.caseKey(txn, id); err != nil {
					return err
				}
				return &NotSharedError{Case: id.String(), Org: org.Name}
			}
			it, err := v.exportCase(txn, id, s, extra[id])
			if err != nil {
				return err
			}
			items = append(items, it...)
			rec.Cases = append(rec.Cases, BundleCase{Origin: id.String(), Rev: it[0].entryRev})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m := Manifest{Format: bundleFormat, Version: bundleVersion, BundleID: bid.String(), Created: v.now(),
		Sender:    BundleParty{Org: v.meta.Org, Recipient: v.meta.Recipient, VerifyKey: v.id.VerifyKey()},
		Recipient: BundleParty{Org: org.Name, Recipient: org.Recipient},
		AuditHead: bundlefmt.AuditHead(head)}
	for _, it := range items {
		m.Entries = append(m.Entries, it.entry)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if err := bundlefmt.CheckExportLimits(&m, raw, DefaultBundleLimits); err != nil {
		return nil, err
	}
	sig := bundlefmt.SignManifest(raw, v.id.Sign)
	rcpt, err := crypto.ParseRecipient(org.Recipient)
	if err != nil {
		return nil, fmt.Errorf("organisation %q: %w", org.Name, err)
	}
	mh := sha256.Sum256(raw)
	phdr := bundlefmt.PartHeader{BundleID: bid.String(), ManifestSHA256: hex.EncodeToString(mh[:]), Sender: m.Sender, Recipient: m.Recipient}
	f, err := writeBundleOutput(ctx, o.Out, o.MaxSize, phdr, v.id.Sign, rcpt, raw, sig, items)
	if err != nil {
		return nil, err
	}
	defer f.abort() // nothing once committed
	size, fileSum := f.size, f.sum
	res := &BundleExportResult{BundleID: bid.String(), Org: org.Name, File: o.Out, Size: size, SHA256: hex.EncodeToString(fileSum)}
	if len(f.names) > 1 {
		res.File, res.Parts = f.names[0], f.names
	}
	rec.ID, rec.Direction, rec.Org, rec.Created, rec.Time = bid.String(), "export", org.Name, m.Created, v.now()
	rec.ManifestSHA256, rec.FileSHA256 = hex.EncodeToString(mh[:]), res.SHA256
	targets := []string{bid.String(), org.Name}
	for _, c := range rec.Cases {
		res.Cases = append(res.Cases, c.Origin)
		targets = append(targets, c.Origin)
	}
	for _, it := range items {
		if it.entry.Kind == kindEvidence {
			id := it.entry.Name[len("evidence/") : len(it.entry.Name)-len(".bin")]
			res.Evidence = append(res.Evidence, id)
			targets = append(targets, id)
		}
	}
	rec.Evidence = res.Evidence
	// The entry commits before the file appears at Out, so that no bundle
	// leaves without its bundle.export entry, even if the process dies in
	// between; a rename that then fails leaves an entry for a bundle that
	// was not written (as passwd does), never the reverse.
	for _, name := range f.names {
		if _, err := os.Lstat(name); err == nil {
			return nil, fmt.Errorf("%s already exists: choose a new file name", name)
		}
	}
	err = v.commit(func(c *change) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.putJSON(bundleKey(bid), v.keys.sys, rec); err != nil {
			return err
		}
		c.auditHash(OpBundleExport, targets, fileSum)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bundleRenameHook != nil {
		bundleRenameHook(o.Out)
	}
	// Linked into place, never over a file that appeared meanwhile.
	if err := f.commit(); err != nil {
		if errors.Is(err, fs.ErrExist) {
			err = fmt.Errorf("%s already exists: choose a new file name", o.Out)
		}
		return nil, fmt.Errorf("bundle %s was recorded but could not be put in place: %w", bid, err)
	}
	return res, nil
}

// exportCase returns the bundle entries of one shared case: the case entry
// first, then its evidence files.
func (v *Vault) exportCase(txn *store.Txn, id CaseID, s Share, extra []EvidenceID) ([]bundleItem, error) {
	dk, err := v.caseKey(txn, id)
	if err != nil {
		return nil, err
	}
	cur, err := v.latestRevision(txn, id, dk)
	if err != nil {
		return nil, err
	}
	doc, err := cur.Case()
	if err != nil {
		return nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
	}
	shared := s.Apply(doc)
	ev, evItems, err := v.exportEvidence(txn, id, shared, extra)
	if err != nil {
		return nil, err
	}
	if err := checkShareable(id, shared); err != nil {
		return nil, err
	}
	ce := CaseEntry{OriginCaseID: id.String(), OriginRev: cur.Rev, OriginTime: cur.Time, Fields: s.Fields,
		Doc: shared.Canonical(), Evidence: ev}
	if ce.ReturnOf, err = v.returnClaim(txn, id, s.Org); err != nil {
		return nil, err
	}
	data, err := marshalJSON(ce)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(data)
	first := bundleItem{entry: ManifestEntry{Name: "cases/" + id.String() + ".json", Kind: kindCase,
		Size: int64(len(data)), SHA256: hex.EncodeToString(h[:])}, data: data, entryRev: cur.Rev}
	return append([]bundleItem{first}, evItems...), nil
}

// exportEvidence returns the evidence entries of a shared case: the
// evidence files its shared copy refers to (mistreatment[].evidence, when
// the share carries that field). Only the file and its name, media type,
// size and SHA-256 travel; notes and custody fields stay here.
func (v *Vault) exportEvidence(txn *store.Txn, id CaseID, shared *schema.Case, extra []EvidenceID) ([]EvidenceEntry, []bundleItem, error) {
	var entries []EvidenceEntry
	var items []bundleItem
	refs := shared.EvidenceRefs()
	seen := map[string]bool{}
	for _, r := range refs {
		seen[r] = true
	}
	for _, e := range extra {
		if !seen[e.String()] {
			seen[e.String()] = true
			refs = append(refs, e.String())
		}
	}
	for _, ref := range refs {
		eid, err := ParseEvidenceID(ref)
		if err != nil {
			return nil, nil, fmt.Errorf("case %s: %w", id, err)
		}
		owner, err := v.evidenceCase(txn, eid)
		if err != nil {
			return nil, nil, fmt.Errorf("case %s: %w", id, err)
		}
		if owner != id {
			return nil, nil, &CorruptError{What: "evidence " + ref, Err: fmt.Errorf("belongs to case %s, not %s", owner, id)}
		}
		rec, err := v.evidenceRecordOf(txn, eid)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, EvidenceEntry{ID: rec.ID, Name: rec.Name, MediaType: rec.MediaType, Size: rec.Size, SHA256: rec.SHA256})
		items = append(items, bundleItem{
			entry: ManifestEntry{Name: "evidence/" + rec.ID + ".bin", Kind: kindEvidence, Size: rec.Size, SHA256: rec.SHA256},
			write: func(w io.Writer) error { return v.streamBlob(rec, w) },
		})
	}
	return entries, items, nil
}

// bundleRenameHook, when set by a test, runs just before a written bundle
// is put in place.
var bundleRenameHook func(out string)

// writeBundleFile writes the age-encrypted tar stream to a new temporary
// file beside out (vault/atomicfile: 0600, O_EXCL, synced at Commit,
// linked to out without replacing anything). It returns the file, not yet
// in place, its size and SHA-256; the caller commits or aborts it.
func writeBundleFile(ctx context.Context, out string, rcpt age.Recipient, manifest, sig []byte, items []bundleItem) (*atomicfile.File, int64, []byte, error) {
	f, err := atomicfile.Create(out, atomicfile.Options{NoClobber: true, Sync: true, TempPrefix: ".casevault-bundle-"})
	if err != nil {
		return nil, 0, nil, err
	}
	ok := false
	defer func() {
		if !ok {
			f.Abort()
		}
	}()
	sum := sha256.New()
	cw := &countWriter{w: ctxWriter{ctx, io.MultiWriter(f, sum)}}
	bi := make([]bundlefmt.Item, len(items))
	for i, it := range items {
		bi[i] = bundlefmt.Item{Entry: it.entry, Data: it.data, Write: it.write}
	}
	if err := bundlefmt.Write(cw, rcpt, manifest, sig, bi); err != nil {
		return nil, 0, nil, err
	}
	ok = true
	return f, cw.n, sum.Sum(nil), nil
}
