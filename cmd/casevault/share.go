package main

import (
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newShareCmd(g *globals) *cobra.Command {
	var with, name string
	var fields []string
	cmd := &cobra.Command{
		Use:   "share CASE --with ORG [--fields person,charges,…]",
		Short: "Share a case, or chosen fields of it, with a partner organisation",
		Long: `Record that a case goes to a partner organisation in the bundles exported to
it. By default the share carries every public and restricted field (after the
case's sensitivity_overrides) and no confidential one. --fields limits it to
the named sections or fields; a confidential field goes only when it is
named itself (for example person.contacts or notes). The schema version and
sensitivity_overrides always go along, so the partner knows what to keep
secret. Sharing the same case again replaces the earlier share.

Field names are those of 'casevault template' (person, person.name, charges,
detention, detention.notes, mistreatment, sources, notes, publication, …).`,
		Example: `  casevault share c7k2m9xq4a5b6c7d8 --with "Beta Rights"
  casevault share c7k2m9xq4a5b6c7d8 --with "Beta Rights" --fields person,charges,detention
  casevault share c7k2m9xq4a5b6c7d8 --with "Beta Rights" --fields person,person.contacts
  casevault share list --org "Beta Rights"`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			if with == "" {
				return usagef("--with ORG is required: the partner organisation to share with")
			}
			var used bool
			var err error
			if with, err = g.stdinValue(with, "partner organisation", &used); err != nil {
				return err
			}
			id, v, err := g.caseVaultBy(args, name, false)
			if err != nil {
				return err
			}
			defer v.Close()
			if with, err = v.ResolveOrg(with); err != nil {
				return err
			}
			g.announceCases(v, []vault.CaseID{id})
			s, err := v.ShareCase(id, with, fields)
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(s)
			}
			what := "public and restricted fields"
			if len(s.Fields) > 0 {
				what = "fields " + strings.Join(s.Fields, ", ")
			}
			g.infof("case %s is shared with %q (%s)", s.Case, s.Org, what)
			fmt.Fprintln(g.env.stdout, s.Case)
			return nil
		},
	}
	cmd.Flags().StringVar(&with, "with", "", "partner organisation to share with (- reads the name from standard input, out of ps and shell history)")
	cmd.Flags().StringSliceVar(&fields, "fields", nil, "comma-separated sections or fields to share (default: all public and restricted fields)")
	cmd.AddCommand(newShareListCmd(g))
	addCaseNameFlag(cmd, &name)
	return cmd
}
