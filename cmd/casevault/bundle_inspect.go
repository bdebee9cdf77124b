package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newBundleInspectCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Decrypt and verify a bundle without importing it",
		Long: `Decrypt a bundle and check it as import would (sender, signature, addressee,
every entry's hash, every case document) without changing the vault. Shows
the sender, whether the bundle is valid, and the cases it holds. Exits with
the error import would give when the bundle would be refused.`,
		Example: `  casevault bundle inspect from-alpha.age
  casevault bundle inspect from-alpha.age --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			info, err := v.InspectBundle(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if g.json {
				if err := g.printJSON(info); err != nil {
					return err
				}
				return info.Err
			}
			yes := func(b bool) string {
				if b {
					return "yes"
				}
				return "NO"
			}
			w := g.env.stdout
			sender := fmt.Sprintf("%q (unknown to this vault)", info.Sender.Org)
			switch info.SenderStatus {
			case "known":
				sender = fmt.Sprintf("%q (known)", info.SenderOrg)
			case "removed":
				sender = fmt.Sprintf("%q (REMOVED from this vault)", info.SenderOrg)
			}
			fmt.Fprintf(w, "bundle:       %s\n", info.BundleID)
			fmt.Fprintf(w, "created:      %s\n", info.Created.Format(time.RFC3339))
			fmt.Fprintf(w, "sender:       %s\n", sender)
			fmt.Fprintf(w, "fingerprint:  %s\n", info.SenderFingerprint)
			fmt.Fprintf(w, "addressed to: %q (this vault: %s)\n", info.Recipient.Org, yes(info.AddressedToUs))
			sig := map[bool]string{true: "valid", false: "INVALID"}[info.SignatureValid]
			if info.SenderStatus == "unknown" && info.SignatureValid {
				sig = "valid for the key the bundle itself names, which proves nothing: the sender is unknown"
			}
			fmt.Fprintf(w, "signature:    %s\n", sig)
			fmt.Fprintf(w, "entries:      %d, hashes %s\n", len(info.Entries), map[bool]string{true: "valid", false: "NOT VERIFIED"}[info.EntriesValid])
			if info.AlreadyImported {
				fmt.Fprintf(w, "imported:     already\n")
			}
			if len(info.Cases) > 0 {
				fmt.Fprintln(w)
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, g.header("bundle"))
				for _, c := range info.Cases {
					f := g.ui("ui.word.allFields", nil)
					if len(c.Fields) > 0 {
						f = strings.Join(c.Fields, ",")
					}
					fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", c.OriginCaseID, c.OriginRev, plain(c.Name), plain(g.vocab("status", c.Status)), plain(f))
				}
				tw.Flush()
			}
			if info.Err != nil {
				return info.Err
			}
			g.infof("bundle is valid and can be imported")
			return nil
		},
	}
	return cmd
}
