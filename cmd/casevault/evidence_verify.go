package main

import (
	"errors"
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// errEvidenceDamaged is returned by evidence verify when an item is damaged.
var errEvidenceDamaged = errors.New("damaged evidence found")

func newEvidenceVerifyCmd(g *globals) *cobra.Command {
	var caseArg string
	var all bool
	cmd := &cobra.Command{
		Use:   "verify [EVID | --case CASE | --all]",
		Short: "Re-read and re-hash stored evidence",
		Long: `Re-read every chunk of the named evidence, check it, and compare the SHA-256
of the content with the one recorded when it was added. Each item is reported
as intact or damaged on standard output; the exit status is 8 if any is
damaged. Each verification is recorded in the audit log (evidence.verify or
evidence.verify-failed).`,
		Example: `  casevault evidence verify e3xq4a5b6c7dak2mz
  casevault evidence verify --case c7k2m9xq4a5b6c7d8
  casevault evidence verify --all --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n := 0
			for _, b := range []bool{len(args) == 1, caseArg != "", all} {
				if b {
					n++
				}
			}
			if n != 1 {
				return usagef("name exactly one of EVID, --case CASE or --all")
			}
			var ids []vault.EvidenceID
			var caseIDs []vault.CaseID
			var eref evidenceRef
			var crefs []caseRef
			switch {
			case len(args) == 1:
				var err error
				if eref, err = parseEvidenceRef(args[0]); err != nil {
					return err
				}
			case caseArg != "":
				c, err := parseCaseRef(caseArg)
				if err != nil {
					return err
				}
				crefs = append(crefs, c)
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			if len(args) == 1 {
				e, err := eref.resolve(v)
				if err != nil {
					return err
				}
				ids = append(ids, e)
			}
			if caseIDs, err = resolveCaseRefs(v, crefs); err != nil {
				return err
			}
			if all {
				caseIDs, err = v.CaseIDs()
				if err != nil {
					return err
				}
			}
			for _, c := range caseIDs {
				list, err := v.EvidenceList(c)
				if err != nil {
					return err
				}
				for _, m := range list {
					e, _ := vault.ParseEvidenceID(m.ID)
					ids = append(ids, e)
				}
			}
			type result struct {
				ID     string `json:"id"`
				Case   string `json:"case"`
				Name   string `json:"name"`
				Intact bool   `json:"intact"`
				Error  string `json:"error,omitempty"`
			}
			results := []result{}
			damaged := 0
			for _, e := range ids {
				m, err := v.Evidence(e)
				if err != nil {
					return err
				}
				r := result{ID: m.ID, Case: m.Case, Name: m.Name, Intact: true}
				var de *vault.EvidenceDamagedError
				bar := newProgressIfLarge(g, m.Size, "verifying "+plain(m.Name))
				err = v.VerifyEvidence(cmd.Context(), e)
				bar.done()
				switch {
				case errors.As(err, &de):
					r.Intact = false
					r.Error = de.Err.Error()
					damaged++
				case err != nil:
					return err
				}
				results = append(results, r)
				if !g.json {
					// The state in the user's language (--json keeps the
					// English reason for programs).
					if r.Intact {
						fmt.Fprintf(g.env.stdout, "%s  %-7s  %s\n", r.ID, g.tr("intact"), plain(r.Name))
					} else {
						fmt.Fprintf(g.env.stdout, "%s  %-7s  %s: %s\n", r.ID, g.tr("DAMAGED"), plain(r.Name), g.trError(de.Err))
					}
				}
			}
			if g.json {
				if err := g.printJSON(results); err != nil {
					return err
				}
			} else if len(ids) == 0 {
				g.infof("no evidence to verify")
			}
			if damaged > 0 {
				return withCode(fmt.Errorf("%w: %d of %d items", errEvidenceDamaged, damaged, len(ids)), exitDamaged,
					"restore the damaged items from a backup, or from the original files")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&caseArg, "case", "", "verify every evidence file of this case")
	cmd.Flags().BoolVar(&all, "all", false, "verify every evidence file in the vault")
	return cmd
}
