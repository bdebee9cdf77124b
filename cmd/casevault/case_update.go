package main

import (
	"github.com/spf13/cobra"
)

func newCaseUpdateCmd(g *globals) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "update ID -f FILE",
		Short: "Store a new revision of a case from a case file",
		Long: `Validate a case file and store it as a new revision of the case. Earlier
revisions stay readable with 'casevault case history'.`,
		Example: `  casevault case show c7k2m9xq4a5b6c7d8 > case.yaml && $EDITOR case.yaml
  casevault case update c7k2m9xq4a5b6c7d8 -f case.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseCaseArg(args[0])
			if err != nil {
				return err
			}
			doc, err := g.readCaseFile(file)
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			rev, err := v.UpdateCase(id, doc)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(map[string]any{"id": id.String(), "rev": rev.Rev, "sha256": rev.SHA256})
			}
			g.infof("case %s is now at revision %d", id, rev.Rev)
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "case file (YAML or JSON), - for standard input")
	return cmd
}
