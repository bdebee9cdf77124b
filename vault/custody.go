package vault

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/casevault/casevault/vault/internal/audit"
	"github.com/casevault/casevault/vault/internal/store"
)

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
		r.Entries = append(r.Entries, audit.NewCustodyEntry(ae))
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

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
