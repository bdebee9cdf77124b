package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// auditEntryJSON is an audit entry as printed by --json: the stored fields
// and the entry's hash.
type auditEntryJSON struct {
	vault.AuditEntry
	Hash string `json:"hash"`
	// Name is the person's name of the case the entry names, from this
	// vault ("" when it names none, or the case is gone).
	Name string `json:"name"`
	// SignedBy is the name the organisation bound to the staff key that
	// signed the entry (the entry's "staff" is only its claim).
	SignedBy string `json:"signed_by,omitempty"`
}

func newAuditLogCmd(g *globals) *cobra.Command {
	var caseArg, since string
	cmd := &cobra.Command{
		Use:   "log [--case ID] [--since DATE]",
		Short: "List audit entries (seq, time, actor, operation, targets, hash)",
		Long: `List the entries of the audit log, oldest first. --case keeps the entries that
name the case or one of its evidence items; --since keeps entries at or after a
date (YYYY-MM-DD, UTC) or time (RFC 3339). The NAME column is the name of
the case an entry names, as this vault holds it now ("-" for entries naming
no case, or a case since removed or purged). The HASH column is the start of each
entry's hash; --json prints every field, the full hash and the signature.`,
		Example: `  casevault audit log
  casevault audit log --case c7k2m9xq4a5b6c7d8 --since 2026-11-01
  casevault audit log --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var f vault.AuditFilter
			var err error
			if f.Since, err = parseSince(since); err != nil {
				return err
			}
			var ref caseRef
			if caseArg != "" {
				if ref, err = parseCaseRef(caseArg); err != nil {
					return err
				}
			}
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			if caseArg != "" {
				id, err := ref.resolve(v)
				if err != nil {
					return err
				}
				if f.Targets, err = v.CaseAuditTargets(id); err != nil {
					return err
				}
			}
			names, err := v.CaseNames()
			if err != nil {
				return err
			}
			if g.json {
				out := []auditEntryJSON{}
				err := v.AuditLog(f, func(e vault.AuditEntry) error {
					out = append(out, auditEntryJSON{AuditEntry: e, Hash: e.Hash(), Name: vault.TargetName(names, e.Targets), SignedBy: e.SignedBy})
					return nil
				})
				if err != nil {
					return err
				}
				return g.printJSON(out)
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, g.header("audit"))
			err = v.AuditLog(f, func(e vault.AuditEntry) error {
				_, err := fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.Format(time.RFC3339), whoOf(e), e.Op, shortTargets(e.Targets), orDash(plain(vault.TargetName(names, e.Targets))), e.Hash()[:16])
				return err
			})
			if err != nil {
				return err
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&caseArg, "case", "", "only entries naming this case or its evidence")
	cmd.Flags().StringVar(&since, "since", "", "only entries at or after this date (YYYY-MM-DD) or time (RFC 3339)")
	return cmd
}
