package audit

import (
	"fmt"
	"time"

	"github.com/casevault/casevault/vault/internal/ids"
)

// A CustodyTrace fills a custody report's history from the audit log: the
// entries naming the item, and the removal of its case (whose ID the entry
// that brought the item in names, if the item is gone). Call Add for every
// entry in order, then Finish.
type CustodyTrace struct {
	r       *CustodyReport
	removed bool
}

// NewCustodyTrace returns a trace that fills r, whose Evidence holds what
// the vault still stores about the item (nothing but its ID once it is
// gone).
func NewCustodyTrace(r *CustodyReport) *CustodyTrace { return &CustodyTrace{r: r} }

// Add takes the next audit entry.
func (t *CustodyTrace) Add(ae Entry) {
	r := t.r
	id := r.Evidence.ID
	own := ae.HasTarget(id)
	if own && r.Evidence.Case == "" && ae.Op.Info().Origin {
		for _, tg := range ae.Targets {
			if _, err := ids.ParseCaseID(tg); err == nil {
				r.Evidence.Case = tg
				break
			}
		}
	}
	caseGone := r.Evidence.Case != "" && ae.HasTarget(r.Evidence.Case) && ae.Op.Info().RemovesCase
	if !own && !caseGone {
		return
	}
	r.Entries = append(r.Entries, NewCustodyEntry(ae))
	fileHash := ae.Op.Info().RecordsFileHash
	switch {
	case ae.Op.Info().Origin && r.Evidence.AddedEntry == 0:
		r.Evidence.AddedEntry = ae.Seq
		if r.Evidence.Added.IsZero() {
			r.Evidence.Added, r.Evidence.AddedBy = ae.Time, ae.Actor
		}
		if r.Evidence.SHA256 == "" && fileHash {
			r.Evidence.SHA256 = ae.ContentSHA256
		}
		if fileHash && r.Evidence.SHA256 != ae.ContentSHA256 {
			r.Findings = append(r.Findings, fmt.Sprintf("The SHA-256 stored with the item (%s) differs from the one recorded when it was added (entry %d: %s).", r.Evidence.SHA256, ae.Seq, ae.ContentSHA256))
		}
	case ae.Op.Info().ReportsDamage:
		r.Findings = append(r.Findings, fmt.Sprintf("Verification failed at entry %d (%s): the stored file was damaged then.", ae.Seq, ae.Time.Format(time.RFC3339)))
	case ae.Op.Info().NamesEvidence && r.Evidence.SHA256 != "" && ae.ContentSHA256 != r.Evidence.SHA256:
		r.Findings = append(r.Findings, fmt.Sprintf("Entry %d (%s) records SHA-256 %s, not the item's %s.", ae.Seq, ae.Op, ae.ContentSHA256, r.Evidence.SHA256))
	}
	if ae.Op.Info().RemovesEvidence || caseGone {
		t.removed = true
	}
}

// Finish adds the findings about the item's whole history: how it came
// in, and whether the log agrees that it is still there. It returns false,
// adding nothing, when neither the vault nor its log knows the item.
func (t *CustodyTrace) Finish() bool {
	r := t.r
	if len(r.Entries) == 0 && !r.Evidence.InVault {
		return false
	}
	if r.Evidence.AddedEntry == 0 {
		r.Findings = append(r.Findings, "No audit entry records how this item entered the vault.")
	}
	if !r.Evidence.InVault && !t.removed {
		r.Findings = append(r.Findings, "The item is no longer in the vault, but no audit entry records its removal.")
	}
	if r.Evidence.InVault && t.removed {
		r.Findings = append(r.Findings, "The item is in the vault although an audit entry records its removal.")
	}
	return true
}
