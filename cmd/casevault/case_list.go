package main

import (
	"bufio"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseListCmd(g *globals) *cobra.Command {
	var f vault.Filter
	cmd := &cobra.Command{
		Use:   "list [filters] [--sort ORDER] [--limit N] [--offset N]",
		Short: "List cases (id, name, status, updated), all or those the filters select",
		Long: `List the cases of the vault, or those every given filter selects: by article
(207.3 also matches its parts, 207.3(2)), region, facility, status,
publication consent, date of first detention, date of the last change, kind
of mistreatment, or the partner organisation an imported case came from.
Values of the case model's vocabularies are checked: a misspelt status is an
error, not an empty list.

The table is for reading; --json prints every field the filters read
(articles as normalised, region, facilities, first detention, consent,
mistreatment kinds, detention conditions).`,
		Example: `  casevault case list
  casevault case list --status sentenced --json
  casevault case list --article 207.3 --region Moscow
  casevault case list --has-mistreatment torture --detained-since 2023-01-01
  casevault case list --org "Beta Rights" --sort updated --limit 20
  casevault case list --sort detained --limit 50 --offset 50   # the second page`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			noteOldIndex(g, v)
			list, err := v.ListCases(f)
			if err != nil {
				return err
			}
			if err := g.printSummaries(list); err != nil {
				return err
			}
			g.noteListConflicts(v, list)
			return nil
		},
	}
	addFilterFlags(cmd, &f)
	addPagingFlags(cmd, &f)
	return cmd
}

// printSummaries prints case summaries as a table, or as a JSON array.
func (g *globals) printSummaries(list []vault.Summary) error {
	if g.json {
		out := make([]summaryJSON, len(list))
		for i, s := range list {
			out[i] = summaryJSON{Summary: s, Origin: originText(s.Origin), Ours: s.Origin == ""}
		}
		return g.printJSON(out)
	}
	bw := bufio.NewWriterSize(g.env.stdout, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, g.header("cases"))
	for _, s := range list {
		name := s.Name
		if s.NameNative != "" {
			name += " (" + s.NameNative + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, plain(name), plain(g.originColumn(s.Origin)), plain(g.vocab("status", s.Status)), s.Updated.Format(time.DateOnly))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// summaryJSON is a case summary as --json prints it: origin always there,
// "ours" or the partner organisation the case came from (ours says which,
// whatever a partner calls itself).
type summaryJSON struct {
	vault.Summary
	Origin string `json:"origin"`
	Ours   bool   `json:"ours"`
}

// originColumn is what the ORIGIN column of list and search shows: "ours"
// for a case of this organisation, "partner: NAME" for a partner's, so
// that no partner name (whatever it is) reads like ours.
func originColumn(origin string) string {
	if origin == "" {
		return "ours"
	}
	return "partner: " + origin
}

// originText is what --json prints as origin: "ours" for a case of this
// organisation, else the name of the partner it came from.
func originText(origin string) string {
	if origin == "" {
		return "ours"
	}
	return origin
}
