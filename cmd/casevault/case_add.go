package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseAddCmd(g *globals) *cobra.Command {
	var file string
	var asNew bool
	cmd := &cobra.Command{
		Use:   "add -f FILE",
		Short: "Add a case from a YAML or JSON case file",
		Long: `Validate a case file against the case model (case.v1) and store it as the
first revision of a new case. The new case ID alone is printed on stdout.

A file written by 'case show' or 'case edit' names the case it was shown from
('# casevault: case ID revision N'). Adding such a file would make a second
case of the same person: when that case is in this vault, add refuses (exit
code 6) and suggests 'case update'; --as-new adds it as a new case anyway.`,
		Example: `  casevault case add -f kara-murza.yaml
  id=$(casevault case add -f - < case.json)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			data, doc, name, err := g.readCaseFileData(file)
			if err != nil {
				return err
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			if mark, ok := vault.ParseCaseBase(data); ok && mark.Case != "" && !asNew {
				if id, perr := vault.ParseCaseID(mark.Case); perr == nil {
					if _, cerr := v.Case(id); cerr == nil {
						return withCode(fmt.Errorf("%s was shown from case %s (revision %d, the '# casevault:' line at its top): adding it would create a second case of the same person", name, id, mark.Rev), exitInvalid,
							fmt.Sprintf("to store your changes in that case: casevault case update %s -f %s; to add it as a new case all the same: --as-new", id, name))
					} else if !vault.IsNotFound(cerr) {
						return cerr
					}
				}
			}
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
	cmd.Flags().BoolVar(&asNew, "as-new", false, "add a file shown from an existing case as a new case all the same")
	return cmd
}
