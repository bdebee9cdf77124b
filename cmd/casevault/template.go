package main

import (
	"fmt"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newTemplateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "template",
		Short: "Print an annotated empty case file",
		Long: `Print an empty case file in YAML with every field of the case model, its
sensitivity (public, restricted, confidential) and its allowed values. With
--lang ru or uk the comments are in that language; field names and values
stay English.`,
		Example: `  casevault template > case.yaml
  $EDITOR case.yaml
  casevault case add -f case.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// The marker says the file is a new case (revision 0): given to
			// 'case update', it is refused as it would undo the case.
			if _, err := fmt.Fprintln(g.env.stdout, vault.CaseBaseLine(vault.CaseBase{}, "")); err != nil {
				return err
			}
			_, err := g.env.stdout.Write(schema.TemplateIn(g.lang))
			return err
		},
	}
}
