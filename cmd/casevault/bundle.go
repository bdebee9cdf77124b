package main

import (
	"github.com/spf13/cobra"
)

func newBundleCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Export, inspect and import signed, encrypted bundles of shared cases",
		Long: `A bundle is one age file, encrypted to the receiving organisation, holding
a manifest signed by the sending organisation and the shared cases, each
filtered to the fields its share names. Bundles may travel over untrusted
channels: only the addressee can read them, and it accepts them only from
known organisations whose signature and hashes verify.`,
		Example: `  casevault bundle export --to "Beta Rights" -o beta.age
  casevault bundle inspect from-alpha.age
  casevault bundle import from-alpha.age`,
	}
	for _, add := range []func(*globals) *cobra.Command{
		newBundleExportCmd, newBundleInspectCmd, newBundleImportCmd,
		newBundleSendCmd, newBundleReceiveCmd,
	} {
		cmd.AddCommand(add(g))
	}
	return cmd
}
