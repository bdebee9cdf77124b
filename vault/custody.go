package vault

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/casevault/casevault/vault/internal/audit"
	"github.com/casevault/casevault/vault/internal/store"
)

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
	if err := v.needOwner("custody report"); err != nil {
		return nil, err
	}
	id := e.String()
	vk := v.id.VerifyKey()
	r := &CustodyReport{Format: CustodyFormat, Version: audit.CustodyVersion, Generated: v.now(), GeneratedBy: v.author(), Org: v.meta.Org,
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

	trace := audit.NewCustodyTrace(r)
	err = v.auditWalk(txn, func(ae AuditEntry) error {
		trace.Add(ae)
		return nil
	})
	if err != nil && !isCorrupt(err) {
		return nil, err
	}
	if !trace.Finish() {
		return nil, &NotFoundError{Kind: NotFoundEvidence, ID: id}
	}
	r.Sig = v.id.Sign(r.Statement())
	return r, nil
}

func isCorrupt(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce)
}

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
