package audit

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/casevault/casevault/crypto"
	"github.com/casevault/casevault/schema/bounds"
	"github.com/casevault/casevault/vault/internal/cardfmt"
	"github.com/casevault/casevault/vault/internal/errs"
)

// CustodyFormat names the JSON custody report format.
const CustodyFormat = "casevault-custody-report"

// CustodyVersion is the version of the custody report format written.
const CustodyVersion = 2

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
	OK          bool   `json:"ok"`
	Entries     int    `json:"entries"`
	Head        Head   `json:"head"`
	BreakSeq    uint64 `json:"break_seq,omitempty"`
	BreakReason string `json:"break_reason,omitempty"`
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

// NewCustodyEntry returns e as listed in a custody report.
func NewCustodyEntry(e Entry) CustodyEntry {
	targets := e.Targets
	if targets == nil {
		targets = []string{}
	}
	return CustodyEntry{Seq: e.Seq, Time: e.Time, Actor: e.Actor, Op: e.Op, Targets: targets,
		ContentSHA256: e.ContentSHA256, Hash: e.Hash(), Sig: e.Sig, EntryJSON: string(e.JSON()), SignedJSON: string(e.UnsignedJSON())}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

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

// Is puts a CustodyReportError among damaged data when the report was
// forged, else among invalid input.
func (e *CustodyReportError) Is(target error) bool {
	if e.Forged {
		return target == errs.ErrDamaged
	}
	return target == errs.ErrInvalid
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
	if cardfmt.Fingerprint(r.Recipient, vk) != r.Fingerprint {
		return nil, forged("fingerprint is not that of recipient and verify_key")
	}
	for _, ce := range r.Entries {
		var e Entry
		if err := bounds.JSON([]byte(ce.EntryJSON), jsonLimits); err != nil {
			return nil, fmt.Errorf("custody report: entry %d: %w", ce.Seq, err)
		}
		if err := json.Unmarshal([]byte(ce.EntryJSON), &e); err != nil {
			return nil, forged("entry %d: %v", ce.Seq, err)
		}
		// An entry made by a staff member is signed by the key it names;
		// the organisation's signature over the statement, which lists
		// the entry's hash, vouches for it (SECURITY.md, "Signed audit
		// entries").
		entryKey := vk
		if len(e.StaffKey) == ed25519.PublicKeySize {
			entryKey = e.StaffKey
		}
		switch {
		case hashHex([]byte(ce.EntryJSON)) != ce.Hash || e.Hash() != ce.Hash:
			return nil, forged("entry %d: entry_json does not hash to its hash", ce.Seq)
		case string(e.UnsignedJSON()) != ce.SignedJSON:
			return nil, forged("entry %d: signed_json is not entry_json without its signature", ce.Seq)
		case !crypto.Verify(entryKey, append([]byte(SigLabel), ce.SignedJSON...), ce.Sig) || string(e.Sig) != string(ce.Sig):
			return nil, forged("entry %d: signature does not verify", ce.Seq)
		case e.Seq != ce.Seq || !e.Time.Equal(ce.Time) || e.Actor != ce.Actor || e.Op != ce.Op ||
			e.ContentSHA256 != ce.ContentSHA256 || strings.Join(e.Targets, "\x00") != strings.Join(ce.Targets, "\x00"):
			return nil, forged("entry %d: listed fields differ from the signed entry", ce.Seq)
		}
	}
	return &r, nil
}
