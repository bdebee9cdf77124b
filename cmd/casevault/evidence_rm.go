package main

import (
	"github.com/spf13/cobra"
)

func newEvidenceRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm EVID",
		Short: "Remove an evidence file",
		Long: `Remove an evidence file and its metadata. Evidence still named in
mistreatment[].evidence of the case's current revision is refused: edit the
case first.`,
		Example: `  casevault evidence rm e3xq4a5b6c7dak2mz`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, v, err := g.evidenceVault(args[0], false)
			if err != nil {
				return err
			}
			defer v.Close()
			if err := v.RemoveEvidence(e); err != nil {
				return err
			}
			return g.report(map[string]any{"removed": e.String()}, "removed evidence %s", e)
		},
	}
}
