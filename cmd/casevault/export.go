package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/atomicfile"

	"github.com/spf13/cobra"
)

func newExportCmd(g *globals) *cobra.Command {
	var format, out string
	var includeQ bool
	cmd := &cobra.Command{
		Use:   "export [--format jsonl] [-o FILE]",
		Short: "Write every case in full, for migration to another vault",
		Long: `Write the current document of every case as JSON lines: complete and in
plaintext, confidential fields included. 'casevault import --format jsonl'
reads the file back into another vault. With -o the file is created 0600 and
only if it does not exist; on stdout a warning reminds that this is plaintext.
The export is recorded in the audit log before anything is written (op
export, with the SHA-256 of exactly what is written). A quarantined case (from a
removed partner) makes the export fail unless --include-quarantined is given;
then its line carries the quarantine (organisation, date), and import
quarantines it again.`,
		Example: `  casevault export -o cases.jsonl
  casevault --vault new import -f cases.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "jsonl" {
				return usagef("unknown --format %q: export writes jsonl", format)
			}
			if out != "" && out != "-" {
				if err := checkNewFile(out); err != nil {
					return err
				}
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			w := g.env.stdout
			var f *atomicfile.File
			if out != "" && out != "-" {
				// Synced and linked into place once complete: a failure
				// leaves nothing, and a file made meanwhile is not replaced.
				f, err = atomicfile.Create(out, atomicfile.Options{NoClobber: true, Sync: true})
				if err != nil {
					return err
				}
				defer f.Abort()
				w = f
			} else {
				g.warnf("writing every case in plaintext, confidential fields included, to standard output")
			}
			n, err := v.ExportWith(cmd.Context(), w, vault.PlainExportOptions{IncludeQuarantined: includeQ})
			if err != nil {
				return err
			}
			if f != nil {
				if err := f.Commit(); err != nil {
					return newFileError(out, err)
				}
			}
			g.infof("exported %d cases", n)
			return nil
		},
	}
	cmd.Flags().BoolVar(&includeQ, "include-quarantined", false, "write quarantined cases too, marked so that import quarantines them again")
	cmd.Flags().StringVar(&format, "format", "jsonl", "output format (jsonl)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE (created 0600, must not exist) instead of standard output")
	return cmd
}
