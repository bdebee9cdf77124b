package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newAuditHeadCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "head",
		Short: "Print the audit chain's head (sequence number and hash)",
		Long: `Print the sequence number and hash of the newest audit entry. Every bundle we
send carries this head; a partner that keeps it can later show that our log
still contains that entry unchanged. Writing the head down somewhere outside
the vault (a letter, a notary, a public post) gives the same protection.`,
		Example: `  casevault audit head
  casevault audit head --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			h, err := v.AuditHead()
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(h)
			}
			_, err = fmt.Fprintf(g.env.stdout, "%d %s\n", h.Seq, h.Hash)
			return err
		},
	}
}
