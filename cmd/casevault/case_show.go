package main

import (
	"fmt"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newCaseShowCmd(g *globals) *cobra.Command {
	var rev uint32
	var name string
	cmd := &cobra.Command{
		Use:   "show ID | --name NAME",
		Short: "Print a case file (current or an earlier revision)",
		Long: `Print the case file as YAML, ready to edit and give back to 'case update',
with its revision in comment lines (the first, '# casevault: case ID revision N',
is what 'case update' checks the file against); with --json, as JSON with the field names
of the case model.`,
		Example: `  casevault case show c7k2m9xq4a5b6c7d8
  casevault case show c7k2                        # a unique prefix of the ID
  casevault case show --name "Ivan Petrov"
  casevault case show c7k2m9xq4a5b6c7d8 --rev 1
  casevault case show c7k2m9xq4a5b6c7d8 --json | jq .case.person.name`,
		Args: caseIDOrName,
		RunE: func(cmd *cobra.Command, args []string) error {
			id, v, err := g.caseVaultBy(args, name, true)
			if err != nil {
				return err
			}
			defer v.Close()
			var r *vault.Revision
			if rev > 0 {
				r, err = v.CaseRevision(id, rev)
			} else {
				r, err = v.Case(id)
			}
			if err != nil {
				return err
			}
			if m, merr := v.CaseMeta(id); merr == nil && m.Quarantine != nil {
				g.warnf("case %s is quarantined: it came from %q (a removed partner), quarantined since %s; never published or shared until 'casevault case release %s'",
					id, plain(m.Quarantine.Org), m.Quarantine.Since.Format(time.RFC3339), id)
			}
			if rev == 0 {
				g.noteConflicts(v, id)
			}
			return g.printRevision(r)
		},
	}
	cmd.Flags().Uint32Var(&rev, "rev", 0, "show this revision instead of the current one")
	addCaseNameFlag(cmd, &name)
	return cmd
}

// revisionJSON is the --json form of a revision.
type revisionJSON struct {
	ID         string            `json:"id"`
	Rev        uint32            `json:"rev"`
	Time       time.Time         `json:"time"`
	Author     string            `json:"author"`
	Op         string            `json:"op"`
	SHA256     string            `json:"sha256"`
	Provenance *vault.Provenance `json:"provenance,omitempty"`
	Case       any               `json:"case,omitempty"`
}

func toRevisionJSON(r *vault.Revision, withDoc bool) (revisionJSON, error) {
	out := revisionJSON{ID: r.CaseID, Rev: r.Rev, Time: r.Time, Author: r.Author, Op: string(r.Op), SHA256: r.SHA256, Provenance: r.Provenance}
	if withDoc {
		c, err := r.Case()
		if err != nil {
			return out, err
		}
		out.Case = c.Doc
	}
	return out, nil
}

func (g *globals) printRevision(r *vault.Revision) error {
	if g.json {
		j, err := toRevisionJSON(r, true)
		if err != nil {
			return err
		}
		return g.printJSON(j)
	}
	c, err := r.Case()
	if err != nil {
		return err
	}
	y, err := caseYAML(c)
	if err != nil {
		return err
	}
	w := g.env.stdout
	// The first line names the revision the file is made from (the base
	// 'case update' checks): keep it when editing the file.
	fmt.Fprintln(w, vault.CaseBaseLine(vault.CaseBase{Case: r.CaseID, Rev: r.Rev}, r.Time.Format(time.RFC3339)+" by "+plain(r.Author)))
	if p := r.Provenance; p != nil {
		fmt.Fprintf(w, "# imported from %s (bundle %s, their case %s) at %s\n", plain(p.Org), p.BundleID, p.OriginCaseID, p.ImportedAt.Format(time.RFC3339))
	}
	if g.env.stdoutIsTerminal() {
		// Piped, the YAML stays exact (for 'case update -f -'); on a
		// terminal, control characters from a partner's bundle are shown
		// escaped instead of acting on the terminal.
		y = []byte(plainLines(string(y)))
	}
	_, err = w.Write(y)
	return err
}
