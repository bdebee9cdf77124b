package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newOrgRmCmd(g *globals) *cobra.Command {
	var quarantine, keep bool
	cmd := &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a partner organisation and its shares",
		Long: `Remove a partner organisation: its shares are deleted, no bundle can be
exported to it, and bundles from it are refused. Bundles already sent to it
cannot be recalled: it keeps what it received.

The cases it sent us are listed. They may be planted or wrong: with
--quarantine (or answering yes on a terminal) they are kept but marked, and
never published, shared or bundled until 'casevault case release ID'.`,
		Example: `  casevault org rm "Beta Rights"
  casevault org rm -        # type the name: not in ps or shell history`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var used bool
			name, err := g.stdinValue(args[0], "partner organisation", &used)
			if err != nil {
				return err
			}
			args[0] = name
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			from, err := v.CasesFrom(args[0])
			if err != nil {
				return err
			}
			if len(from) > 0 && !keep && !quarantine && !g.env.isTerminal(g.env.stdin) {
				// Off a terminal nobody can be asked: leaving the cases of a
				// partner removed as hostile live would be the silent choice.
				return usagef("%q sent %d cases: off a terminal say what becomes of them with --quarantine or --keep-cases; nothing was removed", args[0], len(from))
			}
			if err := v.RemoveOrg(args[0]); err != nil {
				return err
			}
			quarantined := []string{}
			if len(from) > 0 && !g.json {
				g.infof("%d cases came from %q:", len(from), args[0])
				for _, id := range from {
					g.infof("  %s", id)
				}
			}
			if len(from) > 0 && !keep {
				ok := quarantine
				if !ok && g.env.isTerminal(g.env.stdin) {
					ok = g.confirm(false, fmt.Sprintf("quarantine these %d cases (kept, never published or shared until released)?", len(from))) == nil
				}
				if ok {
					if err := v.Quarantine(from, args[0]); err != nil {
						return err
					}
					for _, id := range from {
						quarantined = append(quarantined, id.String())
					}
				} else if !g.json {
					g.infof("hint: quarantine them with 'casevault case quarantine ID' or run 'org rm' with --quarantine next time")
				}
			}
			from2 := []string{}
			for _, id := range from {
				from2 = append(from2, id.String())
			}
			return g.report(map[string]any{"removed": args[0], "cases_from": from2, "quarantined": quarantined},
				"removed organisation %q; bundles already sent to it cannot be recalled%s", args[0], quarantineNote(len(quarantined)))
		},
	}
	cmd.Flags().BoolVar(&quarantine, "quarantine", false, "quarantine the cases it sent without asking")
	cmd.Flags().BoolVar(&keep, "keep-cases", false, "leave the cases it sent as they are, without asking")
	cmd.MarkFlagsMutuallyExclusive("quarantine", "keep-cases")
	return cmd
}

func quarantineNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d cases it sent are quarantined", n)
}
