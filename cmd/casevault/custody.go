package main

import (
	"errors"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCustodyCmd(g *globals) *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "custody EVID [-o FILE] [--format md|json]",
		Short: "Write the chain-of-custody report of an evidence item",
		Long: `Write the chain-of-custody report of one evidence item: its SHA-256, who added
it and when, every audit entry that names it since (reads, bundle exports,
verifications, removal) with the entry's hash and signature, and the result
of verifying the whole audit log.

--format md (the default) is a Markdown document for lawyers and courts;
--format json carries the same with each entry's exact signed content and the
organisation's verify key, so that a program can check every signature (see
SECURITY.md, "Custody reports"). The report itself is recorded in the audit
log (op custody.report, with the SHA-256 of the file). If the audit log is
broken the report is still written, says so, and the command exits with 8.`,
		Example: `  casevault custody e4hx2m9q7c3k5w6ab -o custody-e4hx2m9q.md
  casevault custody e4hx2m9q7c3k5w6ab --format json > custody.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref, err := parseEvidenceRef(args[0])
			if err != nil {
				return err
			}
			if g.json && !cmd.Flags().Changed("format") {
				format = "json"
			}
			if format != "md" && format != "json" {
				return usagef("--format %q: want md or json", format)
			}
			if out != "" {
				if err := checkNewFile(out); err != nil {
					return err
				}
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			e, err := ref.resolve(v)
			if err != nil {
				return err
			}
			b, rep, err := v.Custody(e, format)
			var brk *vault.AuditBreak
			if err != nil && !errors.As(err, &brk) {
				return err
			}
			if out == "" {
				if _, werr := g.env.stdout.Write(b); werr != nil {
					return werr
				}
			} else {
				if werr := writeNewFile(out, b); werr != nil {
					return werr
				}
				g.infof("wrote the custody report of %s (%d entries, recorded as audit entry %d) to %s", e, len(rep.Entries), rep.RecordedAs, out)
			}
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE (must not exist) instead of standard output")
	cmd.Flags().StringVar(&format, "format", "md", "md (Markdown, for people) or json (for programs; the default with --json)")
	cmd.AddCommand(newCustodyVerifyCmd(g))
	return cmd
}
