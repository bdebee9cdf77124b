package vault

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/casevault/casevault/schema/bounds"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/vault/internal/store"
)

// CustodyFormat names the JSON custody report format.
const CustodyFormat = "casevault-custody-report"

const custodySigLabel = "casevault custody report v2\n"

// A CustodyReport is the chain of custody of one evidence item: what it is,
// who added it and when, every audit entry that names it (reads, exports,
// verifications, removal) with its hash and signature, and the result of
// verifying the whole audit chain when the report was made. It is signed
// with the organisation's key; see [CustodyReport.Statement].
type CustodyReport struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	Generated   time.Time `json:"generated"`
	GeneratedBy string    `json:"generated_by"`
	Org         string    `json:"org"`
	// VerifyKey is the organisation's Ed25519 verify key (standard base64),
	// which checks Sig and every entry's signature. Fingerprint is the
	// organisation fingerprint shown on its card, to compare out of band;
	// VerifyCustodyReport recomputes it from Recipient and VerifyKey.
	VerifyKey   string `json:"verify_key"`
	Fingerprint string `json:"fingerprint"`
	// Recipient is the organisation's age recipient, which with VerifyKey
	// gives Fingerprint (so a program can recompute it).
	Recipient string         `json:"recipient"`
	Evidence  CustodyItem    `json:"evidence"`
	Chain     CustodyChain   `json:"chain"`
	Entries   []CustodyEntry `json:"entries"`
	// Findings lists anything a reader must know: a broken chain, hashes
	// that disagree, failed verifications, a removal without its entry.
	Findings []string `json:"findings"`
	// RecordedAs is the sequence number of the custody.report entry that
	// records this report (its content hash is that of the file written).
	RecordedAs uint64 `json:"recorded_as"`
	// Sig is the organisation's Ed25519 signature of Statement().
	Sig []byte `json:"sig"`
}

// CustodyItem describes the evidence item.
type CustodyItem struct {
	ID          string    `json:"id"`
	Case        string    `json:"case,omitempty"`
	Name        string    `json:"name,omitempty"`
	MediaType   string    `json:"media_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	SHA256      string    `json:"sha256"`
	Added       time.Time `json:"added"`
	AddedBy     string    `json:"added_by"`
	AddedEntry  uint64    `json:"added_entry,omitempty"`
	CollectedBy string    `json:"collected_by,omitempty"`
	CollectedAt string    `json:"collected_at,omitempty"`
	Source      string    `json:"source,omitempty"`
	InVault     bool      `json:"in_vault"`
}

// CustodyChain is the result of verifying the whole audit chain.
type CustodyChain struct {
	OK          bool      `json:"ok"`
	Entries     int       `json:"entries"`
	Head        AuditHead `json:"head"`
	BreakSeq    uint64    `json:"break_seq,omitempty"`
	BreakReason string    `json:"break_reason,omitempty"`
}

// A CustodyEntry is one audit entry in a custody report. EntryJSON is the
// entry's exact canonical JSON (SHA-256 of it = Hash); SignedJSON is the
// same with "sig":null, and Sig signs "casevault audit entry v1\n" ‖
// SignedJSON.
type CustodyEntry struct {
	Seq           uint64    `json:"seq"`
	Time          time.Time `json:"time"`
	Actor         string    `json:"actor"`
	Op            Op        `json:"op"`
	Targets       []string  `json:"targets"`
	ContentSHA256 string    `json:"content_sha256,omitempty"`
	Hash          string    `json:"hash"`
	Sig           []byte    `json:"sig"`
	EntryJSON     string    `json:"entry_json"`
	SignedJSON    string    `json:"signed_json"`
}

// Statement returns what the report's Sig signs: lines a program can
// rebuild from the report's fields, binding everything the report says
// except the entries' own content (bound through their hashes). Text
// values are written as standard base64 of their UTF-8 bytes (b64 below;
// the empty string gives nothing), so that no text can forge a line.
//
//	casevault custody report v2
//	org <verify_key> <b64 org> <b64 fingerprint>
//	evidence <evidence.id> <evidence.sha256>
//	item case <b64 case>
//	item name <b64 name>
//	item media_type <b64 media_type>
//	item size <size>
//	item added <added, RFC 3339 UTC> <b64 added_by> <added_entry>
//	item collected <b64 collected_by> <b64 collected_at> <b64 source>
//	item in_vault <true|false>
//	generated <generated, RFC 3339 UTC> <b64 generated_by> <recorded_as>
//	chain <ok|broken> <entries> <head.seq> <head.hash> <break_seq> <b64 break_reason>
//	entry <seq> <hash>          (one line per entry, in order)
//	finding <b64 finding>       (one line per finding, in order)
func (r *CustodyReport) Statement() []byte {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	ev := r.Evidence
	var b strings.Builder
	b.WriteString(custodySigLabel)
	fmt.Fprintf(&b, "org %s %s %s\n", r.VerifyKey, b64(r.Org), b64(r.Fingerprint))
	fmt.Fprintf(&b, "evidence %s %s\n", ev.ID, ev.SHA256)
	fmt.Fprintf(&b, "item case %s\n", b64(ev.Case))
	fmt.Fprintf(&b, "item name %s\n", b64(ev.Name))
	fmt.Fprintf(&b, "item media_type %s\n", b64(ev.MediaType))
	fmt.Fprintf(&b, "item size %d\n", ev.Size)
	fmt.Fprintf(&b, "item added %s %s %d\n", ts(ev.Added), b64(ev.AddedBy), ev.AddedEntry)
	fmt.Fprintf(&b, "item collected %s %s %s\n", b64(ev.CollectedBy), b64(ev.CollectedAt), b64(ev.Source))
	fmt.Fprintf(&b, "item in_vault %t\n", ev.InVault)
	fmt.Fprintf(&b, "generated %s %s %d\n", ts(r.Generated), b64(r.GeneratedBy), r.RecordedAs)
	state := "ok"
	if !r.Chain.OK {
		state = "broken"
	}
	fmt.Fprintf(&b, "chain %s %d %d %s %d %s\n", state, r.Chain.Entries, r.Chain.Head.Seq, r.Chain.Head.Hash, r.Chain.BreakSeq, b64(r.Chain.BreakReason))
	for _, e := range r.Entries {
		fmt.Fprintf(&b, "entry %d %s\n", e.Seq, e.Hash)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "finding %s\n", b64(f))
	}
	return []byte(b.String())
}

// VerifyCustodyReport checks a JSON custody report as a program would: the
// report's signature over its statement, and for every entry that its
// EntryJSON hashes to Hash, that Sig verifies over SignedJSON, and that the
// listed fields are those of the signed entry. It trusts the verify key in
// the report; [VerifyCustodyReportFrom] also checks it against the
// organisation's card. Errors are [*CustodyReportError]s.
func VerifyCustodyReport(data []byte) (*CustodyReport, error) {
	malformed := func(format string, a ...any) error {
		return &CustodyReportError{Reason: fmt.Sprintf(format, a...)}
	}
	forged := func(format string, a ...any) error {
		return &CustodyReportError{Forged: true, Reason: fmt.Sprintf(format, a...)}
	}
	if len(data) > MaxCustodyReportSize {
		return nil, malformed("%d bytes, the limit is %d", len(data), MaxCustodyReportSize)
	}
	if err := bounds.JSON(data, jsonLimits); err != nil {
		return nil, malformed("%v", err)
	}
	var r CustodyReport
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, malformed("%v", err)
	}
	if r.Format != CustodyFormat || r.Version != 2 {
		return nil, malformed("format %q version %d is not %s version 2", r.Format, r.Version, CustodyFormat)
	}
	vk, err := base64.StdEncoding.DecodeString(r.VerifyKey)
	if err != nil {
		return nil, malformed("verify_key: %v", err)
	}
	if !crypto.Verify(vk, r.Statement(), r.Sig) {
		return nil, forged("signature does not verify (report altered)")
	}
	if Fingerprint(r.Recipient, vk) != r.Fingerprint {
		return nil, forged("fingerprint is not that of recipient and verify_key")
	}
	for _, ce := range r.Entries {
		var e AuditEntry
		if err := bounds.JSON([]byte(ce.EntryJSON), jsonLimits); err != nil {
			return nil, fmt.Errorf("custody report: entry %d: %w", ce.Seq, err)
		}
		if err := json.Unmarshal([]byte(ce.EntryJSON), &e); err != nil {
			return nil, forged("entry %d: %v", ce.Seq, err)
		}
		switch {
		case hashHex([]byte(ce.EntryJSON)) != ce.Hash || e.Hash() != ce.Hash:
			return nil, forged("entry %d: entry_json does not hash to its hash", ce.Seq)
		case string(e.UnsignedJSON()) != ce.SignedJSON:
			return nil, forged("entry %d: signed_json is not entry_json without its signature", ce.Seq)
		case !crypto.Verify(vk, append([]byte(auditSigLabel), ce.SignedJSON...), ce.Sig) || string(e.Sig) != string(ce.Sig):
			return nil, forged("entry %d: signature does not verify", ce.Seq)
		case e.Seq != ce.Seq || !e.Time.Equal(ce.Time) || e.Actor != ce.Actor || e.Op != ce.Op ||
			e.ContentSHA256 != ce.ContentSHA256 || strings.Join(e.Targets, "\x00") != strings.Join(ce.Targets, "\x00"):
			return nil, forged("entry %d: listed fields differ from the signed entry", ce.Seq)
		}
	}
	return &r, nil
}

// custodyOrigin reports whether an op brings an evidence item into the
// vault.
func custodyOrigin(op Op) bool { return op.Info().Origin }

// custodyFileHash reports whether an op records the SHA-256 of the
// evidence file itself.
func custodyFileHash(op Op) bool { return op.Info().RecordsFileHash }

// Custody builds the chain-of-custody report of evidence item e, renders it
// (format "md" or "json") and records the rendered file in the audit log
// (op custody.report, targets the item and its case, content the file), all
// in one transaction. If the audit chain is broken the report is still
// returned, saying so, together with the *AuditBreak.
func (v *Vault) Custody(e EvidenceID, format string) ([]byte, *CustodyReport, error) {
	if format != "md" && format != "json" {
		return nil, nil, fmt.Errorf("custody report format %q: want md or json", format)
	}
	var out []byte
	var rep *CustodyReport
	err := v.commit(func(c *change) error {
		var err error
		rep, err = v.buildCustody(c.txn, e)
		if err != nil {
			return err
		}
		if format == "json" {
			out, err = json.MarshalIndent(rep, "", "  ")
			out = append(out, '\n')
		} else {
			out = rep.Markdown()
		}
		if err != nil {
			return err
		}
		targets := []string{rep.Evidence.ID}
		if rep.Evidence.Case != "" {
			targets = append(targets, rep.Evidence.Case)
		}
		c.audit(OpCustodyReport, targets, out)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if !rep.Chain.OK {
		return out, rep, &AuditBreak{Seq: rep.Chain.BreakSeq, Reason: rep.Chain.BreakReason}
	}
	return out, rep, nil
}

func (v *Vault) buildCustody(txn *store.Txn, e EvidenceID) (*CustodyReport, error) {
	id := e.String()
	vk := v.id.VerifyKey()
	r := &CustodyReport{Format: CustodyFormat, Version: 2, Generated: v.now(), GeneratedBy: v.author(), Org: v.meta.Org,
		VerifyKey: base64.StdEncoding.EncodeToString(vk), Fingerprint: Fingerprint(v.meta.Recipient, vk), Recipient: v.meta.Recipient,
		Entries: []CustodyEntry{}, Findings: []string{}}
	r.Evidence.ID = id

	n, head, brk := v.verifyAuditTxn(txn)
	r.Chain = CustodyChain{OK: brk == nil, Entries: n, Head: head}
	var ab *AuditBreak
	switch {
	case errors.As(brk, &ab):
		r.Chain.BreakSeq, r.Chain.BreakReason = ab.Seq, ab.Reason
		r.Findings = append(r.Findings, fmt.Sprintf("The audit log is broken at entry %d (%s): entries from there on cannot be relied on.", ab.Seq, ab.Reason))
		if h, err := v.auditHead(txn); err == nil {
			r.Chain.Head = h
		}
	case brk != nil:
		return nil, brk
	}
	r.RecordedAs = r.Chain.Head.Seq + 1

	meta, err := v.custodyMeta(txn, e)
	switch {
	case err == nil:
		r.Evidence.InVault = true
		r.Evidence.Case, r.Evidence.Name, r.Evidence.MediaType, r.Evidence.Size = meta.Case, meta.Name, meta.MediaType, meta.Size
		r.Evidence.SHA256, r.Evidence.Added, r.Evidence.AddedBy = meta.SHA256, meta.Added, meta.AddedBy
		r.Evidence.CollectedBy, r.Evidence.CollectedAt, r.Evidence.Source = meta.CollectedBy, meta.CollectedAt, meta.Source
	case IsNotFound(err):
	case isCorrupt(err):
		// Still report what the log says; the damage is a finding.
		r.Findings = append(r.Findings, fmt.Sprintf("The item's stored record is damaged: %v.", err))
		r.Evidence.InVault = true
	default:
		return nil, err
	}

	// One pass: the entries naming the item, and the removal of its case
	// (whose ID the entry that brought the item in names, if the item is
	// gone).
	var removed bool
	err = v.auditWalk(txn, func(ae AuditEntry) error {
		own := ae.HasTarget(id)
		if own && r.Evidence.Case == "" && custodyOrigin(ae.Op) {
			for _, t := range ae.Targets {
				if _, err := ParseCaseID(t); err == nil {
					r.Evidence.Case = t
					break
				}
			}
		}
		caseGone := r.Evidence.Case != "" && ae.HasTarget(r.Evidence.Case) && ae.Op.Info().RemovesCase
		if !own && !caseGone {
			return nil
		}
		r.Entries = append(r.Entries, CustodyEntry{Seq: ae.Seq, Time: ae.Time, Actor: ae.Actor, Op: ae.Op, Targets: nonNil(ae.Targets),
			ContentSHA256: ae.ContentSHA256, Hash: ae.Hash(), Sig: ae.Sig, EntryJSON: string(ae.JSON()), SignedJSON: string(ae.UnsignedJSON())})
		switch {
		case custodyOrigin(ae.Op) && r.Evidence.AddedEntry == 0:
			r.Evidence.AddedEntry = ae.Seq
			if r.Evidence.Added.IsZero() {
				r.Evidence.Added, r.Evidence.AddedBy = ae.Time, ae.Actor
			}
			if r.Evidence.SHA256 == "" && custodyFileHash(ae.Op) {
				r.Evidence.SHA256 = ae.ContentSHA256
			}
			if custodyFileHash(ae.Op) && r.Evidence.SHA256 != ae.ContentSHA256 {
				r.Findings = append(r.Findings, fmt.Sprintf("The SHA-256 stored with the item (%s) differs from the one recorded when it was added (entry %d: %s).", r.Evidence.SHA256, ae.Seq, ae.ContentSHA256))
			}
		case ae.Op.Info().ReportsDamage:
			r.Findings = append(r.Findings, fmt.Sprintf("Verification failed at entry %d (%s): the stored file was damaged then.", ae.Seq, ae.Time.Format(time.RFC3339)))
		case ae.Op.Info().NamesEvidence && r.Evidence.SHA256 != "" && ae.ContentSHA256 != r.Evidence.SHA256:
			r.Findings = append(r.Findings, fmt.Sprintf("Entry %d (%s) records SHA-256 %s, not the item's %s.", ae.Seq, ae.Op, ae.ContentSHA256, r.Evidence.SHA256))
		}
		if ae.Op.Info().RemovesEvidence || caseGone {
			removed = true
		}
		return nil
	})
	if err != nil && !isCorrupt(err) {
		return nil, err
	}
	if len(r.Entries) == 0 && !r.Evidence.InVault {
		return nil, &NotFoundError{Kind: NotFoundEvidence, ID: id}
	}
	if r.Evidence.AddedEntry == 0 {
		r.Findings = append(r.Findings, "No audit entry records how this item entered the vault.")
	}
	if !r.Evidence.InVault && !removed {
		r.Findings = append(r.Findings, "The item is no longer in the vault, but no audit entry records its removal.")
	}
	if r.Evidence.InVault && removed {
		r.Findings = append(r.Findings, "The item is in the vault although an audit entry records its removal.")
	}
	r.Sig = v.id.Sign(r.Statement())
	return r, nil
}

func isCorrupt(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
