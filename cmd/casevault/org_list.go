package main

import (
	"encoding/base64"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newOrgListCmd(g *globals) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list [--all]",
		Short: "List the partner organisations",
		Example: `  casevault org list
  casevault org list --all --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			orgs, err := v.Orgs(all)
			if err != nil {
				return err
			}
			if g.json {
				out := make([]map[string]any, 0, len(orgs))
				for i := range orgs {
					out = append(out, orgJSON(&orgs[i]))
				}
				return g.printJSON(out)
			}
			tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, g.header("org"))
			for _, o := range orgs {
				added := o.Added.Format(time.DateOnly)
				if o.Removed != nil {
					added += " " + g.ui("ui.word.removed", map[string]any{"Date": o.Removed.Format(time.DateOnly)})
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", plain(o.Name), g.keyKindText(o.Recipient), o.Fingerprint, added)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include removed organisations")
	return cmd
}

func keyKind(recipient string) string {
	if strings.HasPrefix(recipient, "age1pq1") {
		return "post-quantum"
	}
	return "classic"
}

// orgJSON is the JSON form of an organisation for --json output.
func orgJSON(o *vault.Org) map[string]any {
	m := map[string]any{
		"name":        o.Name,
		"recipient":   o.Recipient,
		"verify_key":  base64.StdEncoding.EncodeToString(o.VerifyKey),
		"fingerprint": o.Fingerprint,
		"added":       o.Added,
	}
	if o.Removed != nil {
		m["removed"] = o.Removed
	}
	return m
}
