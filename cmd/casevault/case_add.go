package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCaseAddCmd(g *globals) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "add -f FILE",
		Short: "Add a case from a YAML or JSON case file",
		Long: `Validate a case file against the case model (case.v1) and store it as the
first revision of a new case. The new case ID alone is printed on stdout.`,
		Example: `  casevault case add -f kara-murza.yaml
  id=$(casevault case add -f - < case.json)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			doc, err := g.readCaseFile(file)
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			id, err := v.AddCase(doc)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(map[string]any{"id": id.String(), "rev": 1})
			}
			_, err = fmt.Fprintln(g.env.stdout, id)
			return err
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "case file (YAML or JSON), - for standard input")
	return cmd
}
