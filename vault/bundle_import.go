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
	"os"
	"time"

	"github.com/casevault/casevault/schema/bounds"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/internal/bundlefmt"
	"github.com/casevault/casevault/vault/internal/store"
)

// originRecord maps a partner's case to the local case holding it (store
// key i org-MAC origin-case, sealed under the sys key).
type originRecord struct {
	Org          string `json:"org"`
	OriginCaseID string `json:"origin_case_id"`
	Case         string `json:"case"`
	OriginRev    uint32 `json:"origin_rev"`
	BundleID     string `json:"bundle_id"`
	// BaseRev is the local revision holding the version last received
	// from the partner (0: not known, an import of an older casevault)
	// and BaseSHA256 that version's SHA-256: a local revision that differs
	// from it has edits made here since (see conflict.go).
	BaseRev    uint32 `json:"base_rev,omitempty"`
	BaseSHA256 string `json:"base_sha256,omitempty"`
	// Returned is true when the partner's case is our own case (Case),
	// shared with the partner and sent back.
	Returned bool `json:"returned,omitempty"`
}

// BundleImportResult describes an imported bundle.
type BundleImportResult struct {
	BundleID string `json:"bundle_id"`
	Org      string `json:"org"`
	// AlreadyImported is true when this bundle had been imported before;
	// nothing was changed.
	AlreadyImported bool         `json:"already_imported"`
	Cases           []BundleCase `json:"cases"`
	Evidence        []string     `json:"evidence,omitempty"`
}

// BundleInfo is what InspectBundle finds out about a bundle without
// importing it.
type BundleInfo struct {
	BundleID  string      `json:"bundle_id"`
	Created   time.Time   `json:"created"`
	Sender    BundleParty `json:"sender"`
	Recipient BundleParty `json:"recipient"`
	// SenderOrg is the name this vault knows the sender by, if it knows
	// the sender's key.
	SenderOrg string `json:"sender_org,omitempty"`
	// SenderStatus is "known", "removed" or "unknown".
	SenderStatus      string `json:"sender_status"`
	SenderFingerprint string `json:"sender_fingerprint"`
	// SignatureValid reports whether the manifest signature verifies with
	// the key of the known sender (or, for an unknown sender, with the key
	// the manifest names, which proves nothing about who that is).
	SignatureValid bool `json:"signature_valid"`
	AddressedToUs  bool `json:"addressed_to_us"`
	// EntriesValid reports whether every entry was present with the size
	// and SHA-256 the manifest lists.
	EntriesValid    bool            `json:"entries_valid"`
	AlreadyImported bool            `json:"already_imported"`
	AuditHead       AuditHead       `json:"sender_audit_head"`
	Entries         []ManifestEntry `json:"entries"`
	Cases           []InspectedCase `json:"cases,omitempty"`
	// Problem is why import would refuse the bundle; empty if it would
	// not.
	Problem string `json:"problem,omitempty"`
	// Err is Problem as an error, for exit codes.
	Err error `json:"-"`
}

// InspectedCase summarises one case entry of a bundle.
type InspectedCase struct {
	OriginCaseID string   `json:"origin_case_id"`
	OriginRev    uint32   `json:"origin_rev"`
	Name         string   `json:"name,omitempty"`
	Status       string   `json:"status,omitempty"`
	Fields       []string `json:"fields,omitempty"`
	Evidence     int      `json:"evidence,omitempty"`
}

// errAlreadyImported stops reading a bundle that was imported before.
var errAlreadyImported = errors.New("bundle already imported")

// openBundle decrypts a bundle file with this vault's identity.
func (v *Vault) openBundle(ctx context.Context, path string) (io.Reader, func(), error) {
	if err := v.needOwner("opening a bundle"); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	r, err := age.Decrypt(bufio.NewReaderSize(f, 1<<16), v.id.AgeIdentity())
	if err != nil {
		f.Close()
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, nil, &BundleError{Msg: "it is not encrypted to this organisation (it was made for another recipient, or is not an age file for us)", Err: err}
		}
		// Not age's error: it quotes the header lines it cannot parse,
		// and the file may be a plaintext one given by mistake (a
		// passphrase file, a case file) whose lines must not end up on
		// the terminal or in logs.
		return nil, nil, &BundleError{Msg: "cannot decrypt it: its age header is damaged, or it is not an age file", Tampered: true}
	}
	return ctxReader{ctx, bundlefmt.AuthReader(r)}, func() { f.Close() }, nil
}

// knownSender finds the sending organisation by the verification key the
// manifest names; an unknown or removed organisation is refused.
func (v *Vault) knownSender(txn *store.Txn, m *Manifest) (*Org, error) {
	org, err := v.orgByVerifyKey(txn, m.Sender.VerifyKey)
	if err != nil {
		return nil, err
	}
	switch {
	case org == nil:
		fp := Fingerprint(m.Sender.Recipient, m.Sender.VerifyKey)
		return nil, &BundleError{Msg: fmt.Sprintf("it is signed by an unknown organisation (it calls itself %q, fingerprint %s); add the organisation's card after comparing the fingerprint with them", m.Sender.Org, fp)}
	case org.Removed != nil:
		return org, &BundleError{Msg: fmt.Sprintf("its sender %q was removed from this vault on %s", org.Name, org.Removed.Format(time.DateOnly))}
	}
	return org, nil
}

// checkSender finds the sending organisation, checks the manifest
// signature with its key, and that the bundle is addressed to this vault.
func (v *Vault) checkSender(txn *store.Txn, m *Manifest, raw, sig []byte) (*Org, error) {
	org, err := v.knownSender(txn, m)
	if err != nil {
		return org, err
	}
	if !bundlefmt.VerifyManifest(raw, sig, func(msg, sig []byte) bool { return crypto.Verify(org.VerifyKey, msg, sig) }) {
		return org, &BundleError{Msg: fmt.Sprintf("its manifest signature does not verify with the key of %q (bundle altered, or not made by them)", org.Name), Tampered: true}
	}
	if m.Recipient.Recipient != v.meta.Recipient {
		return org, &BundleError{Msg: fmt.Sprintf("it is addressed to %q, not to this organisation (%q): a bundle may only be imported by the organisation it was made for", m.Recipient.Org, v.meta.Org)}
	}
	return org, nil
}

// checkBundleRecord reports whether the bundle was already imported.
func (v *Vault) checkBundleRecord(txn *store.Txn, m *Manifest, raw []byte) error {
	bid, _ := ParseBundleID(m.BundleID)
	var rec BundleRecord
	err := v.getJSON(txn, bundleKey(bid), v.keys.sys, &rec)
	if errors.Is(err, errNoRecord) {
		return nil
	}
	if err != nil {
		return err
	}
	h := sha256.Sum256(raw)
	if rec.Direction == "import" && rec.ManifestSHA256 == hex.EncodeToString(h[:]) {
		return errAlreadyImported
	}
	return &BundleError{Msg: fmt.Sprintf("its bundle ID %s is already used by another bundle in this vault", m.BundleID)}
}

// parseCaseEntry decodes a case entry and validates its document and its
// evidence list: every evidence file it lists must be a later entry of the
// manifest with the same size and SHA-256, listed by no other case, and
// every evidence reference of the document must be listed.
func parseCaseEntry(m *Manifest, e ManifestEntry, data []byte, claimed map[string]bool) (*CaseEntry, *schema.Case, error) {
	if err := bounds.JSON(data, jsonLimits); err != nil {
		return nil, nil, malformed("%s: %v", e.Name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ce CaseEntry
	if err := dec.Decode(&ce); err != nil {
		return nil, nil, malformed("%s: %v", e.Name, err)
	}
	if dec.More() {
		return nil, nil, malformed("%s: data after the entry", e.Name)
	}
	if "cases/"+ce.OriginCaseID+".json" != e.Name {
		return nil, nil, malformed("%s names origin case %q", e.Name, ce.OriginCaseID)
	}
	if ce.OriginRev == 0 {
		return nil, nil, malformed("%s: origin revision is missing", e.Name)
	}
	if rc := ce.ReturnOf; rc != nil {
		if _, err := ParseCaseID(rc.CaseID); err != nil || rc.Rev == 0 {
			return nil, nil, malformed("%s: return_of must name a case ID and a revision", e.Name)
		}
	}
	doc, err := schema.FromJSON(ce.Doc)
	if err != nil {
		return nil, nil, &BundleError{Msg: fmt.Sprintf("case document %s is not a valid case file", e.Name), Err: err}
	}
	listed := map[string]bool{}
	for _, ev := range ce.Evidence {
		name := "evidence/" + ev.ID + ".bin"
		if claimed[ev.ID] || listed[ev.ID] {
			return nil, nil, malformed("%s: evidence %q is listed twice", e.Name, ev.ID)
		}
		found := false
		after := false
		for _, me := range m.Entries {
			if me.Name == e.Name {
				after = true
			}
			if me.Name == name {
				found = after && me.Kind == kindEvidence && me.Size == ev.Size && me.SHA256 == ev.SHA256
				break
			}
		}
		if !found {
			return nil, nil, malformed("%s: evidence %q is not an entry after it in the manifest with the same size and SHA-256", e.Name, ev.ID)
		}
		if len(ev.Name) > maxEvidenceText || len(ev.MediaType) > maxEvidenceText {
			return nil, nil, malformed("%s: evidence %q: name or media type too long", e.Name, ev.ID)
		}
		listed[ev.ID] = true
	}
	for _, ref := range doc.EvidenceRefs() {
		if !listed[ref] {
			return nil, nil, malformed("%s: the case refers to evidence %q, which the bundle does not carry", e.Name, ref)
		}
	}
	for id := range listed {
		claimed[id] = true
	}
	return &ce, doc, nil
}

// InspectBundle decrypts and checks a bundle without importing it: the
// sender, the signature, the addressee, every entry's hash and every case
// document. It returns an error only when the bundle cannot be read at
// all; otherwise the findings are in the BundleInfo, with Problem set when
// import would refuse the bundle.
func (v *Vault) InspectBundle(ctx context.Context, path string) (*BundleInfo, error) {
	if part, err := v.isBundlePart(ctx, path); err == nil && part {
		h, org, err := v.readPartHeader(ctx, path)
		if err != nil {
			return nil, err
		}
		return nil, &BundleError{Msg: fmt.Sprintf("%s is part %d of %d of bundle %s from %q, signed by them: inspect reads whole bundles; import the parts (in any order)", path, h.Part, h.Parts, h.BundleID, org.Name)}
	}
	r, done, err := v.openBundle(ctx, path)
	if err != nil {
		return nil, err
	}
	defer done()
	info := &BundleInfo{}
	var manifest *Manifest
	claimed := map[string]bool{}
	var problem error
	setProblem := func(err error) {
		if problem == nil {
			problem = err
		}
	}
	h := bundleHandler{
		Verify: func(m *Manifest, raw, sig []byte) error {
			manifest = m
			info.BundleID, info.Created, info.Sender, info.Recipient = m.BundleID, m.Created, m.Sender, m.Recipient
			info.AuditHead, info.Entries = AuditHead(m.AuditHead), m.Entries
			info.SenderFingerprint = Fingerprint(m.Sender.Recipient, m.Sender.VerifyKey)
			info.AddressedToUs = m.Recipient.Recipient == v.meta.Recipient
			return v.view(func(txn *store.Txn) error {
				org, err := v.checkSender(txn, m, raw, sig)
				info.SenderStatus = "unknown"
				key := m.Sender.VerifyKey
				if org != nil {
					info.SenderOrg, info.SenderStatus, key = org.Name, "known", org.VerifyKey
					info.SenderFingerprint = org.Fingerprint
					if org.Removed != nil {
						info.SenderStatus = "removed"
					}
				}
				info.SignatureValid = bundlefmt.VerifyManifest(raw, sig, func(msg, sig []byte) bool { return crypto.Verify(key, msg, sig) })
				if err != nil {
					setProblem(err)
				}
				if err := v.checkBundleRecord(txn, m, raw); errors.Is(err, errAlreadyImported) {
					info.AlreadyImported = true
				} else if err != nil {
					setProblem(err)
				}
				return nil
			})
		},
		CaseData: func(e ManifestEntry, data []byte) error {
			ce, doc, err := parseCaseEntry(manifest, e, data, claimed)
			if err != nil {
				setProblem(err)
				return nil
			}
			info.Cases = append(info.Cases, InspectedCase{OriginCaseID: ce.OriginCaseID, OriginRev: ce.OriginRev,
				Name: doc.Name(), Status: doc.Status(), Fields: ce.Fields, Evidence: len(ce.Evidence)})
			return nil
		},
		Evidence: func(e ManifestEntry, r io.Reader) error {
			if !claimed[e.Name[len("evidence/"):len(e.Name)-len(".bin")]] {
				setProblem(malformed("%s is listed by no case before it", e.Name))
			}
			return nil
		},
	}
	_, _, err = bundlefmt.Read(r, DefaultBundleLimits, h)
	if err != nil {
		if info.BundleID == "" {
			return nil, err
		}
		setProblem(err)
	} else {
		info.EntriesValid = true
	}
	if problem != nil {
		info.Problem, info.Err = problem.Error(), problem
	}
	return info, nil
}

// pendingCase is a case entry read from a bundle, waiting for the commit;
// or, with rejected set, one refused on its own (the others go in).
type pendingCase struct {
	entry    *CaseEntry
	doc      *schema.Case
	origin   string // case ID in the sender's vault, from the entry name
	rejected error
}

// pendingEvidence is an evidence file of a bundle written to a blob,
// waiting for the commit.
type pendingEvidence struct {
	entry EvidenceEntry
	ref   *blobRef
	used  bool // registered by the commit (false: the case had it already)
}

// ImportBundle imports a bundle: it must come from a known organisation,
// carry a valid signature, be addressed to this vault and have every entry
// match its hash. Everything it brings is written in one transaction, so a
// failure leaves the vault as it was. A case seen before from the same
// organisation (same origin case ID) gets a new revision when the bundle
// holds a newer origin revision with a different document; importing the
// same bundle again changes nothing.
func (v *Vault) ImportBundle(ctx context.Context, path string) (*BundleImportResult, error) {
	r, done, err := v.openBundle(ctx, path)
	if err != nil {
		return nil, err
	}
	defer done()
	return v.importStream(r, nil)
}

// partsHook ties a bundle reassembled from parts to them: the manifest
// must have the SHA-256 the parts name, and the commit removes the parts
// kept in the vault.
type partsHook struct {
	manifestSHA256 string
	commit         func(c *change) error
}

// importStream imports the decrypted tar stream of a bundle.
func (v *Vault) importStream(r io.Reader, ph *partsHook) (*BundleImportResult, error) {
	var org *Org
	var manifest *Manifest
	var pending []pendingCase
	claimed := map[string]bool{}
	announced := map[string]EvidenceEntry{}
	blobs := map[string]*pendingEvidence{}
	used := false
	defer func() {
		if !used {
			for _, b := range blobs {
				v.discardBlob(b.ref)
			}
		}
	}()
	h := bundleHandler{
		Verify: func(m *Manifest, raw, sig []byte) error {
			manifest = m
			if ph != nil {
				if h := sha256.Sum256(raw); hex.EncodeToString(h[:]) != ph.manifestSHA256 {
					return &BundleError{Msg: "the parts do not hold the manifest their headers name (parts of different bundles?)", Tampered: true}
				}
			}
			return v.view(func(txn *store.Txn) error {
				var err error
				org, err = v.checkSender(txn, m, raw, sig)
				if err != nil {
					return err
				}
				return v.checkBundleRecord(txn, m, raw)
			})
		},
		CaseData: func(e ManifestEntry, data []byte) error {
			origin := e.Name[len("cases/") : len(e.Name)-len(".json")]
			ce, doc, err := parseCaseEntry(manifest, e, data, claimed)
			if err != nil {
				var be *BundleError
				if errors.As(err, &be) && !be.Tampered {
					// One bad case does not block the others.
					pending = append(pending, pendingCase{origin: origin, rejected: err})
					return nil
				}
				return err
			}
			for _, ev := range ce.Evidence {
				announced[ev.ID] = ev
			}
			pending = append(pending, pendingCase{entry: ce, doc: doc, origin: origin})
			return nil
		},
		Evidence: func(e ManifestEntry, r io.Reader) error {
			ev, ok := announced[e.Name[len("evidence/"):len(e.Name)-len(".bin")]]
			if !ok {
				for _, p := range pending {
					if p.rejected != nil {
						// Most likely the evidence of a rejected case:
						// read (its hash is checked) and dropped.
						return nil
					}
				}
				return malformed("%s is listed by no case before it", e.Name)
			}
			eid, err := ParseEvidenceID(ev.ID)
			if err != nil {
				return malformed("%s: %v", e.Name, err)
			}
			ref, err := v.writeBlob(eid, r)
			if err != nil {
				return err
			}
			blobs[ev.ID] = &pendingEvidence{entry: ev, ref: ref}
			return nil
		},
	}
	m, raw, err := bundlefmt.Read(r, DefaultBundleLimits, h)
	if errors.Is(err, errAlreadyImported) {
		res := &BundleImportResult{BundleID: m.BundleID, Org: org.Name, AlreadyImported: true}
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	res := &BundleImportResult{BundleID: m.BundleID, Org: org.Name}
	bid, _ := ParseBundleID(m.BundleID)
	mh := sha256.Sum256(raw)
	now := v.now()
	err = v.commit(func(c *change) error {
		// The vault may have changed since the checks: check again.
		if _, err := v.knownSender(c.txn, m); err != nil {
			return err
		}
		if err := v.checkBundleRecord(c.txn, m, raw); err != nil {
			return err
		}
		mac := v.orgMAC(org.Name)
		targets := []string{m.BundleID, org.Name}
		for _, p := range pending {
			bc, err := c.importCase(mac, org.Name, m.BundleID, now, p, blobs)
			if err != nil {
				return fmt.Errorf("importing case %s: %w", p.origin, err)
			}
			res.Cases = append(res.Cases, bc)
			if bc.Case != "" {
				targets = append(targets, bc.Case)
			}
			if p.entry == nil {
				continue
			}
			for _, ev := range p.entry.Evidence {
				if b := blobs[ev.ID]; b != nil && b.used {
					res.Evidence = append(res.Evidence, ev.ID)
					targets = append(targets, ev.ID)
				}
			}
		}
		if ph != nil && ph.commit != nil {
			if err := ph.commit(c); err != nil {
				return err
			}
		}
		if err := allRejected(res.Cases); err != nil {
			// Nothing to import: the bundle is refused whole, and
			// nothing is written (an import of a fixed bundle is not
			// taken for a repeat).
			return err
		}
		head := AuditHead(m.AuditHead)
		rec := BundleRecord{ID: m.BundleID, Direction: "import", Org: org.Name, Created: m.Created, Time: now,
			ManifestSHA256: hex.EncodeToString(mh[:]), Cases: res.Cases, Evidence: res.Evidence, Witnessed: &head}
		if err := c.putJSON(bundleKey(bid), v.keys.sys, rec); err != nil {
			return err
		}
		if err := c.recordWitness(Witness{Org: org.Name, Head: head, BundleID: m.BundleID, Received: now, VerifyKey: org.VerifyKey}); err != nil {
			return err
		}
		c.auditHash(OpBundleImport, targets, mh[:])
		return nil
	})
	if err == nil {
		used = true
		for _, b := range blobs {
			if !b.used {
				v.discardBlob(b.ref)
			}
		}
	}
	if errors.Is(err, store.ErrTxnTooBig) {
		return nil, &BundleError{Msg: "it is too large to import in one transaction; ask the sender to split it into smaller bundles", Err: err}
	}
	if err != nil {
		return nil, err
	}
	if err := rejectedCases(res); err != nil {
		return res, err
	}
	return res, nil
}

// originOfSkipped reports whether an origin record maps to case skip (the
// case being purged), so that rekey leaves it out.
func (v *Vault) originOfSkipped(k, sealed []byte, skip *CaseID) bool {
	if skip == nil {
		return false
	}
	pt, err := openRecord(k, v.keys.sys, sealed)
	if err != nil {
		return false // orgKey reports the damage
	}
	var rec originRecord
	if json.Unmarshal(pt, &rec) != nil {
		return false
	}
	return rec.Case == skip.String()
}

// importEvidence registers the evidence files of a case entry with local
// case id. A file the case already holds (same ID and SHA-256, sent again
// in a newer bundle) is skipped; an evidence ID used by another case, or
// with other content, is refused.
func (c *change) importEvidence(id CaseID, org, bundleID string, p pendingCase, blobs map[string]*pendingEvidence) error {
	for _, ev := range p.entry.Evidence {
		b := blobs[ev.ID]
		if b == nil || b.ref == nil {
			return malformed("evidence %s is missing from the bundle", ev.ID)
		}
		owner, err := c.v.evidenceCase(c.txn, b.ref.evid)
		switch {
		case err == nil && owner == id:
			rec, err := c.v.evidenceRecordOf(c.txn, b.ref.evid)
			if err != nil {
				return err
			}
			if rec.SHA256 != ev.SHA256 {
				return malformed("evidence %s differs from the file of that ID this vault already holds", ev.ID)
			}
			continue
		case err == nil:
			return malformed("evidence ID %s is already used by another case in this vault", ev.ID)
		case !IsNotFound(err):
			return err
		}
		meta := EvidenceMeta{Name: ev.Name, Source: fmt.Sprintf("bundle %s from %s", bundleID, org)}
		if _, err := c.putEvidence(id, meta, b.ref, OpEvidenceImport); err != nil {
			return err
		}
		b.used = true
	}
	return nil
}
