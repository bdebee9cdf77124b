package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseUpdateCmd(g *globals) *cobra.Command {
	var (
		file     string
		force    bool
		baseRev  uint32
		caseName string
	)
	cmd := &cobra.Command{
		Use:   "update ID|--name NAME -f FILE",
		Short: "Store a new revision of a case from a case file",
		Long: `Validate a case file and store it as a new revision of the case. Earlier
revisions stay readable with 'casevault case history'.

A file written by 'case show' or 'case edit' starts with a line naming the
revision it was made from ('# casevault: case ID revision N'; 'case template'
writes '# casevault: new case (revision 0)'). If the case has changed since
and storing the file would undo those changes, update refuses (exit code 6)
and lists them, field by field: take them into the file, or store it anyway
with --force. --base-rev N names the revision for a file without that line
(or instead of it), for scripts. A file without the line is stored as
before, with a warning; a damaged line (one that starts with '# casevault:'
but does not read as above) is refused (exit code 6): correct it, or use
--base-rev N or --force.`,
		Example: `  casevault case show c7k2m9xq4a5b6c7d8 > case.yaml && $EDITOR case.yaml
  casevault case update c7k2m9xq4a5b6c7d8 -f case.yaml
  casevault case update c7k2m9xq4a5b6c7d8 -f case.json --base-rev 3`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := caseRefOf(args, caseName); err != nil {
				return err // before the file is read or the passphrase asked
			}
			data, doc, name, err := g.readCaseFileData(file)
			if err != nil {
				return err
			}
			id, v, err := g.caseVaultBy(args, caseName, false)
			if err != nil {
				return err
			}
			defer v.Close()
			var base *uint32
			noMark := false
			mark, ok, markErr := vault.ParseCaseBaseStrict(data)
			switch {
			case force:
			case cmd.Flags().Changed("base-rev"):
				base = &baseRev
			case markErr != nil:
				return withCode(fmt.Errorf("%s: %w", name, markErr), exitInvalid,
					"correct that line (take it from 'casevault case show "+id.String()+"' if the file was made from the current revision), or remove it and name the revision with --base-rev N (--force stores it without a check)")
			case !ok:
				noMark = true
			case mark.Case != "" && mark.Case != id.String():
				return withCode(fmt.Errorf("%s was made from case %s, not %s", name, mark.Case, id), exitInvalid,
					"update case "+mark.Case+" with it, or give the revision of "+id.String()+" it is based on with --base-rev N (--force stores it without a check)")
			default:
				base = &mark.Rev
			}
			rev, changed, err := v.UpdateCaseIfChanged(id, doc, vault.AddOptions{Op: vault.OpCaseUpdate, Base: base})
			if err != nil {
				var se *vault.StaleError
				if errors.As(err, &se) && len(se.Undone) > 0 {
					lines := make([]string, len(se.Undone))
					for i, c := range se.Undone {
						lines[i] = "  " + changeLine(c, "now", "in "+name)
					}
					return fmt.Errorf("%w:\n%s", err, strings.Join(lines, "\n"))
				}
				return err
			}
			if !changed {
				return g.report(map[string]any{"id": id.String(), "rev": rev.Rev, "sha256": rev.SHA256, "changed": false},
					"case %s unchanged: %s holds what revision %d holds; nothing stored", id, name, rev.Rev)
			}
			if noMark {
				g.warnf("%s does not say which revision it was made from (the '# casevault: case ID revision N' line 'case show' writes): it was stored without checking that it undoes nothing changed since; --base-rev N checks it", name)
			}
			if force && ok && mark.Case == id.String() && mark.Rev+1 < rev.Rev {
				g.warnf("%s was made from revision %d and stored over revisions %d to %d (--force); 'casevault case diff %s %d' shows what changed", name, mark.Rev, mark.Rev+1, rev.Rev-1, id, mark.Rev)
			}
			if base != nil && *base != rev.Rev-1 {
				g.infof("%s was made from revision %d; it keeps every change made since", name, *base)
			}
			if g.json {
				return g.printJSON(map[string]any{"id": id.String(), "rev": rev.Rev, "sha256": rev.SHA256})
			}
			g.infof("case %s is now at revision %d", id, rev.Rev)
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "case file (YAML or JSON), - for standard input")
	cmd.Flags().BoolVar(&force, "force", false, "store the file even if it undoes changes made since the revision it was made from")
	cmd.Flags().Uint32Var(&baseRev, "base-rev", 0, "the revision the file was made from (instead of its '# casevault:' line)")
	addCaseNameFlag(cmd, &caseName)
	return cmd
}
