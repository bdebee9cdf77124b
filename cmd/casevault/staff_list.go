package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newStaffListCmd(g *globals) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list [--all]",
		Short: "List the staff: the owner first, then colleagues by name",
		Long: `List the staff members with their key kind and fingerprint, and the
organisation's fingerprint (compare it once with the owner's 'casevault org
card'). --all includes removed members.`,
		Example: `  casevault staff list
  casevault staff list --all --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			staff, err := v.Staff()
			if err != nil {
				return err
			}
			me := v.CurrentStaff()
			if g.json {
				out := []map[string]any{}
				for _, m := range staff {
					if m.Active() || all {
						j := staffJSON(m)
						j["you"] = m.ID == me.ID
						out = append(out, j)
					}
				}
				return g.printJSON(map[string]any{"org_fingerprint": v.OrgFingerprint(), "staff": out})
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, g.header("staff"))
			for _, m := range staff {
				if !m.Active() && !all {
					continue
				}
				name := plain(m.Name)
				if m.ID == me.ID {
					name += " " + g.ui("ui.word.you", nil)
				}
				added := m.Added.Format(time.DateOnly)
				if !m.Active() {
					added += " " + g.ui("ui.word.removed", map[string]any{"Date": m.Removed.Format(time.DateOnly)})
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, g.keyKindText(m.Recipient), m.Fingerprint, added)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			g.infof("organisation fingerprint: %s", v.OrgFingerprint())
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include removed staff members")
	return cmd
}
