package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault"

	"github.com/spf13/cobra"
)

func newBundleImportCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE | PART…",
		Short: "Import a bundle from a partner organisation",
		Long: `Import a bundle: it must be addressed to this organisation, signed by a
known (not removed) partner, and every entry must match the hash in the
signed manifest. The import is all or nothing. A case the partner sent
before (same origin case ID) gets a new revision when the bundle carries a
newer one; new cases are added with their provenance (sending organisation,
bundle ID, origin case ID, time). Importing the same bundle twice changes
nothing. Prints one line per case: origin case, local case, result
(added, updated, unchanged, older, conflict, rejected) and, for a rejected
case, why.

A case edited here since the last version from the partner is never
overwritten: the local version stays current and the partner's is kept as a
conflict revision ('casevault case resolve ID'). Our own case, shared with
the partner and sent back by them, is recognised (the bundle names our case
ID; it must be a case we hold and share with them) and merged into it the
same way. A case that cannot be imported is rejected on its own (exit 6,
after the others went in).

A bundle written in numbered parts (NAME.part1of3.age…) is imported from
all its parts, given together in any order, or one at a time: parts that
arrive before the others are kept in the vault (as received, encrypted to
this organisation) until the last one arrives. Parts of another bundle, a
part given twice and a part not signed by a known partner are refused.`,
		Example: `  casevault bundle inspect from-alpha.age
  casevault bundle import from-alpha.age
  casevault bundle import from-alpha.part*of3.age        # the parts, in any order
  casevault bundle import from-alpha.part2of3.age        # or one at a time`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			res, pend, err := v.ImportBundleFiles(cmd.Context(), args)
			if pend != nil {
				if g.json {
					return g.printJSON(pend)
				}
				g.infof("bundle %s from %q: kept part(s) %s in the vault; it has %s of %d, waiting for %s (import them, in any order, one at a time or together)",
					pend.BundleID, pend.Org, intsText(pend.Kept), intsText(pend.Have), pend.Parts, intsText(pend.Missing))
				return nil
			}
			var rej *vault.CasesRejectedError
			if err != nil && (!errors.As(err, &rej) || res == nil) {
				return err
			}
			if g.json {
				if err := g.printJSON(res); err != nil {
					return err
				}
			} else if res.AlreadyImported {
				g.infof("bundle %s from %q was imported before: nothing changed", res.BundleID, res.Org)
				return nil
			}
			n := map[string]int{}
			for _, c := range res.Cases {
				n[c.Result]++
				if g.json {
					continue
				}
				line := c.Origin + "\t" + c.Case + "\t" + c.Result
				if c.Reason != "" {
					line += "\t" + plain(c.Reason)
				}
				fmt.Fprintln(g.env.stdout, line)
				switch c.Result {
				case vault.ImportConflict:
					what := "their case " + c.Origin
					if c.Returned {
						what = "our case, sent back by them,"
					}
					g.warnf("case %s was changed here since the last version from %q: %s is kept as conflict %d, the local version stays current; 'casevault case resolve %s' shows both and decides", c.Case, res.Org, what, c.Conflict, c.Case)
				case vault.ImportRejected:
					g.warnf("case %s of the bundle was not imported: %s", c.Origin, plain(c.Reason))
				}
			}
			if !g.json {
				g.infof("imported bundle %s from %q: %d case(s): %s", res.BundleID, res.Org, len(res.Cases), countsText(n))
			}
			if r := n[vault.ImportRejected]; r > 0 || rej != nil {
				return &codedError{code: exitInvalid, err: fmt.Errorf("%d case(s) of bundle %s were rejected (listed above); the others were imported", r, res.BundleID),
					hint: "ask the sender about the rejected cases; importing the same bundle again changes nothing"}
			}
			return nil
		},
	}
	return cmd
}

// countsText is "2 added, 1 conflict" in a fixed order.
func countsText(n map[string]int) string {
	var parts []string
	for _, r := range []string{vault.ImportAdded, vault.ImportUpdated, vault.ImportUnchanged, vault.ImportOlder, vault.ImportConflict, vault.ImportRejected} {
		if n[r] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[r], r))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// intsText is "1, 3" ("none" for none).
func intsText(n []int) string {
	if len(n) == 0 {
		return "none"
	}
	s := make([]string, len(n))
	for i, x := range n {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
