package main

import (
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseSearchCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "search TEXT",
		Short: "Find cases by words in names, charges, facilities and summaries",
		Long: `Find the cases that contain every word of TEXT in the person's names and
aliases, charges, facilities, region, court or public summary. Case does not
matter, in Latin or Cyrillic script; "ё" matches "е".

Search words on the command line are visible to other users in the process
list and stay in the shell history: with TEXT "-" they are read from
standard input (one line; asked for on a terminal) instead.`,
		Example: `  casevault case search "кара-мурза"
  casevault case search 207.3 omsk --json
  casevault case search -               # type the words: not in ps or history
  echo "кара-мурза" | casevault case search -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			query := strings.Join(args, " ")
			if len(args) == 1 {
				var used bool
				var err error
				if query, err = g.stdinValue(args[0], "search text", &used); err != nil {
					return err
				}
			}
			if len(vault.Tokens(query)) == 0 {
				// Before the passphrase is asked.
				return usagef("search text %q has no letters or digits", query)
			}
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			list, err := v.Search(query)
			if err != nil {
				return withCode(err, exitUsage, "")
			}
			return g.printSummaries(list)
		},
	}
}
