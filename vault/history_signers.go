package vault

// RevisionSigners returns, for each revision of revs (the History of case
// id), the staff member whose key signed the audit entry that wrote it:
// "owner" for the organisation identity, a member's name for a member, and
// "" where the entry is of the previous format (no staff) or none matches.
// An entry matches a revision when it names the case alone, moves its head,
// has the revision's operation and its hash; revisions with the same hash
// are matched to such entries in order. The revision's Author is only the
// declared label (--author, CASEVAULT_AUTHOR); this is who signed.
func (v *Vault) RevisionSigners(id CaseID, revs []*Revision) ([]string, error) {
	type slot struct {
		op  Op
		sha string
	}
	queue := map[slot][]string{}
	target := id.String()
	err := v.auditEntriesBound(func(e AuditEntry) error {
		if !e.Op.Info().MovesHead || len(e.Targets) != 1 || e.Targets[0] != target {
			return nil
		}
		s := slot{e.Op, e.ContentSHA256}
		who := e.Staff
		if e.SignedBy != "" {
			who = e.SignedBy // the name bound to the key, not the entry's claim
		}
		queue[s] = append(queue[s], who)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(revs))
	for i, r := range revs {
		s := slot{r.Op, r.SHA256}
		if q := queue[s]; len(q) > 0 {
			out[i], queue[s] = q[0], q[1:]
		}
	}
	return out, nil
}
