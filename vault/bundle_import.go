package vault

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema"
	badger "github.com/dgraph-io/badger/v4"
)

// originRecord maps a partner's case to the local case holding it (store
// key i org-MAC origin-case, sealed under the sys key).
type originRecord struct {
	Org          string `json:"org"`
	OriginCaseID string `json:"origin_case_id"`
	Case         string `json:"case"`
	OriginRev    uint32 `json:"origin_rev"`
	BundleID     string `json:"bundle_id"`
}

// ImportResult describes an imported bundle.
type ImportResult struct {
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
func (v *Vault) openBundle(path string) (io.Reader, func(), error) {
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
		return nil, nil, &BundleError{Msg: "cannot decrypt it", Tampered: true, Err: err}
	}
	return authReader{r}, func() { f.Close() }, nil
}

// knownSender finds the sending organisation by the verification key the
// manifest names; an unknown or removed organisation is refused.
func (v *Vault) knownSender(txn *badger.Txn, m *Manifest) (*Org, error) {
	org, err := v.orgByVerifyKey(txn, m.Sender.VerifyKey)
	if err != nil {
		return nil, err
	}
	switch {
	case org == nil:
		fp := Fingerprint(m.Sender.Recipient, m.Sender.VerifyKey)
		return nil, &BundleError{Msg: fmt.Sprintf("it is signed by an unknown organisation (it calls itself %q, fingerprint %s); add the organisation's card with 'casevault org add' after comparing the fingerprint with them", m.Sender.Org, fp)}
	case org.Removed != nil:
		return org, &BundleError{Msg: fmt.Sprintf("its sender %q was removed from this vault on %s", org.Name, org.Removed.Format(time.DateOnly))}
	}
	return org, nil
}

// checkSender finds the sending organisation, checks the manifest
// signature with its key, and that the bundle is addressed to this vault.
func (v *Vault) checkSender(txn *badger.Txn, m *Manifest, raw, sig []byte) (*Org, error) {
	org, err := v.knownSender(txn, m)
	if err != nil {
		return org, err
	}
	if !crypto.Verify(org.VerifyKey, manifestSigned(raw), sig) {
		return org, &BundleError{Msg: fmt.Sprintf("its manifest signature does not verify with the key of %q (bundle altered, or not made by them)", org.Name), Tampered: true}
	}
	if m.Recipient.Recipient != v.meta.Recipient {
		return org, &BundleError{Msg: fmt.Sprintf("it is addressed to %q, not to this organisation (%q): a bundle may only be imported by the organisation it was made for", m.Recipient.Org, v.meta.Org)}
	}
	return org, nil
}

// checkBundleRecord reports whether the bundle was already imported.
func (v *Vault) checkBundleRecord(txn *badger.Txn, m *Manifest, raw []byte) error {
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

// parseCaseEntry decodes a case entry and validates its document.
func parseCaseEntry(e ManifestEntry, data []byte) (*CaseEntry, *schema.Case, error) {
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
	doc, err := schema.FromJSON(ce.Doc)
	if err != nil {
		return nil, nil, &BundleError{Msg: fmt.Sprintf("case document %s is not a valid case file", e.Name), Err: err}
	}
	if len(ce.Evidence) > 0 {
		return nil, nil, malformed("%s: evidence in bundles is not supported by this casevault yet", e.Name)
	}
	return &ce, doc, nil
}

// InspectBundle decrypts and checks a bundle without importing it: the
// sender, the signature, the addressee, every entry's hash and every case
// document. It returns an error only when the bundle cannot be read at
// all; otherwise the findings are in the BundleInfo, with Problem set when
// import would refuse the bundle.
func (v *Vault) InspectBundle(path string) (*BundleInfo, error) {
	r, done, err := v.openBundle(path)
	if err != nil {
		return nil, err
	}
	defer done()
	info := &BundleInfo{}
	var problem error
	setProblem := func(err error) {
		if problem == nil {
			problem = err
		}
	}
	h := bundleHandler{
		verify: func(m *Manifest, raw, sig []byte) error {
			info.BundleID, info.Created, info.Sender, info.Recipient = m.BundleID, m.Created, m.Sender, m.Recipient
			info.AuditHead, info.Entries = m.AuditHead, m.Entries
			info.SenderFingerprint = Fingerprint(m.Sender.Recipient, m.Sender.VerifyKey)
			info.AddressedToUs = m.Recipient.Recipient == v.meta.Recipient
			return v.view(func(txn *badger.Txn) error {
				org, err := v.checkSender(txn, m, raw, sig)
				info.SenderStatus = "unknown"
				key := m.Sender.VerifyKey
				if org != nil {
					info.SenderOrg, info.SenderStatus, key = org.Name, "known", org.VerifyKey
					if org.Removed != nil {
						info.SenderStatus = "removed"
					}
				}
				info.SignatureValid = crypto.Verify(key, manifestSigned(raw), sig)
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
		caseData: func(e ManifestEntry, data []byte) error {
			ce, doc, err := parseCaseEntry(e, data)
			if err != nil {
				setProblem(err)
				return nil
			}
			info.Cases = append(info.Cases, InspectedCase{OriginCaseID: ce.OriginCaseID, OriginRev: ce.OriginRev,
				Name: doc.Name(), Status: doc.Status(), Fields: ce.Fields, Evidence: len(ce.Evidence)})
			return nil
		},
	}
	_, _, err = readBundle(r, DefaultBundleLimits, h)
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

// pendingCase is a case entry read from a bundle, waiting for the commit.
type pendingCase struct {
	entry *CaseEntry
	doc   *schema.Case
}

// ImportBundle imports a bundle: it must come from a known organisation,
// carry a valid signature, be addressed to this vault and have every entry
// match its hash. Everything it brings is written in one transaction, so a
// failure leaves the vault as it was. A case seen before from the same
// organisation (same origin case ID) gets a new revision when the bundle
// holds a newer origin revision with a different document; importing the
// same bundle again changes nothing.
func (v *Vault) ImportBundle(path string) (*ImportResult, error) {
	r, done, err := v.openBundle(path)
	if err != nil {
		return nil, err
	}
	defer done()
	var org *Org
	var pending []pendingCase
	h := bundleHandler{
		verify: func(m *Manifest, raw, sig []byte) error {
			return v.view(func(txn *badger.Txn) error {
				var err error
				org, err = v.checkSender(txn, m, raw, sig)
				if err != nil {
					return err
				}
				return v.checkBundleRecord(txn, m, raw)
			})
		},
		caseData: func(e ManifestEntry, data []byte) error {
			ce, doc, err := parseCaseEntry(e, data)
			if err != nil {
				return err
			}
			pending = append(pending, pendingCase{entry: ce, doc: doc})
			return nil
		},
		evidence: func(e ManifestEntry, r io.Reader) error {
			return malformed("%s: evidence in bundles is not supported by this casevault yet", e.Name)
		},
	}
	m, raw, err := readBundle(r, DefaultBundleLimits, h)
	if errors.Is(err, errAlreadyImported) {
		return &ImportResult{BundleID: m.BundleID, Org: org.Name, AlreadyImported: true}, nil
	}
	if err != nil {
		return nil, err
	}
	res := &ImportResult{BundleID: m.BundleID, Org: org.Name}
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
			bc, err := c.importCase(mac, org.Name, m.BundleID, now, p)
			if err != nil {
				return fmt.Errorf("importing case %s: %w", p.entry.OriginCaseID, err)
			}
			res.Cases = append(res.Cases, bc)
			if bc.Case != "" {
				targets = append(targets, bc.Case)
			}
		}
		head := m.AuditHead
		rec := BundleRecord{ID: m.BundleID, Direction: "import", Org: org.Name, Created: m.Created, Time: now,
			ManifestSHA256: hex.EncodeToString(mh[:]), Cases: res.Cases, Evidence: res.Evidence, Witnessed: &head}
		if err := c.putJSON(bundleKey(bid), v.keys.sys, rec); err != nil {
			return err
		}
		if err := c.recordWitness(Witness{Org: org.Name, Head: head, BundleID: m.BundleID, Received: now, VerifyKey: org.VerifyKey}); err != nil {
			return err
		}
		c.auditHash("bundle.import", targets, mh[:])
		return nil
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		return nil, &BundleError{Msg: "it is too large to import in one transaction; ask the sender to split it into smaller bundles", Err: err}
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// importCase adds or updates the local case holding one case entry.
func (c *change) importCase(mac []byte, org, bundleID string, now time.Time, p pendingCase) (BundleCase, error) {
	v := c.v
	origin, err := ParseCaseID(p.entry.OriginCaseID)
	if err != nil {
		return BundleCase{}, err
	}
	bc := BundleCase{Origin: origin.String(), Rev: p.entry.OriginRev}
	prov := &Provenance{Org: org, BundleID: bundleID, OriginCaseID: origin.String(), ImportedAt: now}
	opts := AddOptions{Op: "case.import", Provenance: prov}
	ok := originKey(mac, origin)
	var orec originRecord
	err = v.getJSON(c.txn, ok, v.keys.sys, &orec)
	if err != nil && !errors.Is(err, errNoRecord) {
		return bc, err
	}
	var local CaseID
	exists := false
	if err == nil {
		if local, err = ParseCaseID(orec.Case); err != nil {
			return bc, &CorruptError{What: describeKey(ok), Err: err}
		}
		if _, err := c.txn.Get(caseKeyKey(local)); err == nil {
			exists = true
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return bc, err
		}
	}
	switch {
	case !exists:
		local, err = c.addCase(p.doc, opts)
		if err != nil {
			return bc, err
		}
		bc.Result = "added"
	case p.entry.OriginRev <= orec.OriginRev:
		// An older or the same revision of the case: keep what we have.
		bc.Case, bc.Result = local.String(), "older"
		return bc, nil
	default:
		dk, err := v.caseKey(c.txn, local)
		if err != nil {
			return bc, err
		}
		cur, err := v.latestRevision(c.txn, local, dk)
		if err != nil {
			return bc, err
		}
		h := sha256.Sum256(p.doc.Canonical())
		if cur.SHA256 == hex.EncodeToString(h[:]) {
			bc.Result = "unchanged"
		} else {
			if _, err := c.updateCase(local, p.doc, opts); err != nil {
				return bc, err
			}
			bc.Result = "updated"
		}
	}
	bc.Case = local.String()
	orec = originRecord{Org: org, OriginCaseID: origin.String(), Case: local.String(), OriginRev: p.entry.OriginRev, BundleID: bundleID}
	return bc, c.putJSON(ok, v.keys.sys, orec)
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
