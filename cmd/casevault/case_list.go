package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseListCmd(g *globals) *cobra.Command {
	var status string
	cmd := &cobra.Command{
		Use:   "list [--status S]",
		Short: "List cases (id, name, status, updated)",
		Example: `  casevault case list
  casevault case list --status sentenced --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkStatus(status); err != nil {
				return err
			}
			v, err := g.openVaultReadOnly()
			if err != nil {
				return err
			}
			defer v.Close()
			list, err := v.ListCases(vault.Filter{Status: status})
			if err != nil {
				return err
			}
			return g.printSummaries(list)
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only cases with this status (pretrial, sentenced, released, exchanged, deceased, wanted, other)")
	return cmd
}

// printSummaries prints case summaries as a table, or as a JSON array.
func (g *globals) printSummaries(list []vault.Summary) error {
	if g.json {
		if list == nil {
			list = []vault.Summary{}
		}
		return g.printJSON(list)
	}
	bw := bufio.NewWriterSize(g.env.stdout, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tUPDATED")
	for _, s := range list {
		name := s.Name
		if s.NameNative != "" {
			name += " (" + s.NameNative + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, plain(name), plain(s.Status), s.Updated.Format(time.DateOnly))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// checkStatus refuses a --status value the case model does not allow (a
// typo would otherwise list nothing), asking the schema itself.
func checkStatus(status string) error {
	if status == "" {
		return nil
	}
	probe, _ := json.Marshal(map[string]any{"person": map[string]any{"name": "x"}, "status": status})
	_, err := schema.Parse(probe)
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if p.Path == "status" {
				return usagef("--status %s", p.Message)
			}
		}
	}
	return nil
}
