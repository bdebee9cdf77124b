package main

import (
	"github.com/casevault/casevault/schema"
	"github.com/spf13/cobra"
)

func newTemplateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "template",
		Short: "Print an annotated empty case file",
		Long: `Print an empty case file in YAML with every field of the case model, its
sensitivity (public, restricted, confidential) and its allowed values.`,
		Example: `  casevault template > case.yaml
  $EDITOR case.yaml
  casevault case add -f case.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := g.env.stdout.Write(schema.Template())
			return err
		},
	}
}
