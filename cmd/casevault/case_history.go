package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseHistoryCmd(g *globals) *cobra.Command {
	var withDiff bool
	var name string
	cmd := &cobra.Command{
		Use:   "history ID | --name NAME",
		Short: "List every revision of a case with its time and author",
		Long: `List every revision of a case with its time, author, operation and hash.
With --diff, each revision is followed by what it changed from the one before,
field by field, as 'casevault case diff' shows it (with --json, as "changes").`,
		Example: `  casevault case history c7k2m9xq4a5b6c7d8
  casevault case history c7k2m9xq4a5b6c7d8 --diff
  casevault case show c7k2m9xq4a5b6c7d8 --rev 2`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, v, err := g.caseVaultBy(args, name, true)
			if err != nil {
				return err
			}
			defer v.Close()
			revs, err := v.History(id)
			if err != nil {
				return err
			}
			signers, err := v.RevisionSigners(id, revs)
			if err != nil {
				return err
			}
			var diffs [][]vault.Change
			if withDiff {
				if diffs, err = revisionDiffs(revs); err != nil {
					return err
				}
			}
			if g.json {
				type withChanges struct {
					revisionJSON
					SignedBy string         `json:"signed_by,omitempty"`
					Changes  []vault.Change `json:"changes,omitempty"`
				}
				out := make([]withChanges, 0, len(revs))
				for i, r := range revs {
					j, err := toRevisionJSON(r, true)
					if err != nil {
						return err
					}
					w := withChanges{revisionJSON: j, SignedBy: signers[i]}
					if withDiff {
						w.Changes = orEmpty(diffs[i])
					}
					out = append(out, w)
				}
				return g.printJSON(out)
			}
			if withDiff {
				w := g.env.stdout
				for i, r := range revs {
					fmt.Fprintf(w, "revision %d, %s by %s (%s), sha256 %s\n", r.Rev, r.Time.Format(time.RFC3339), revisionWho(r, signers[i]), r.Op, r.SHA256[:16])
					switch {
					case i == 0:
						fmt.Fprintln(w, "    (first revision)")
					case len(diffs[i]) == 0:
						fmt.Fprintln(w, "    (no field changed)")
					default:
						if err := writeChanges(w, "    ", diffs[i]); err != nil {
							return err
						}
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, g.header("history"))
			for i, r := range revs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.Rev, r.Time.Format(time.RFC3339), revisionWho(r, signers[i]), r.Op, r.SHA256[:16])
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&withDiff, "diff", false, "show what each revision changed, field by field")
	addCaseNameFlag(cmd, &name)
	return cmd
}

// revisionWho says who wrote a revision: the staff member whose key signed
// its audit entry, then the declared author label in brackets when it
// differs (as audit log shows it); the label alone where no entry names a
// signer (entries of the previous format).
func revisionWho(r *vault.Revision, signer string) string {
	if signer == "" {
		return plain(r.Author)
	}
	return whoOf(vault.AuditEntry{Staff: signer, Actor: r.Author})
}

// revisionDiffs returns, for each revision, what it changed from the one
// before it (the first, from an empty case).
func revisionDiffs(revs []*vault.Revision) ([][]vault.Change, error) {
	out := make([][]vault.Change, len(revs))
	var prev any = map[string]any{}
	for i, r := range revs {
		c, err := r.Case()
		if err != nil {
			return nil, err
		}
		var doc any = c.Doc
		out[i] = vault.DiffDocs(prev, doc)
		prev = doc
	}
	return out, nil
}
