package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func newManCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write manual pages for every command into DIR",
		Long: `Write a manual page (section 1) for casevault and each of its commands into
DIR, which is created if needed. Packages install them; 'man casevault' then
reads them.`,
		Example: `  casevault man ./man
  man ./man/casevault-case-add.1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			v, _ := buildVersion()
			hdr := &doc.GenManHeader{Title: "CASEVAULT", Section: "1", Source: "casevault " + v, Manual: "casevault manual"}
			root := cmd.Root()
			root.DisableAutoGenTag = true // no date: the pages are reproducible
			if err := doc.GenManTree(root, hdr, dir); err != nil {
				return fmt.Errorf("writing manual pages to %s: %w", dir, err)
			}
			return g.report(map[string]any{"dir": dir}, "manual pages written to %s", dir)
		},
	}
}
