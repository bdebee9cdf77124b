package main

import (
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newBundleExportCmd(g *globals) *cobra.Command {
	var to, out string
	var cases, names, evidence []string
	cmd := &cobra.Command{
		Use:   "export --to ORG [--case ID…] -o FILE",
		Short: "Write a bundle of the cases shared with a partner organisation",
		Long: `Write the cases shared with ORG (or only those named with --case, which must
be shared with it) into FILE: one age file encrypted to the partner's
recipient, which the stock 'age -d -i KEY' command can decrypt, holding a
manifest signed with this organisation's key. Each case is filtered to the
fields of its share. Evidence files the shared copy refers to
(mistreatment[].evidence) go along; --evidence EVID sends any other
evidence file of a shared case too (its case goes in the bundle; evidence
of a case not shared with ORG is refused). FILE must not exist; it is written through a temporary
file beside it and appears only when complete.`,
		Example: `  casevault bundle export --to "Beta Rights" -o beta-2026-11.age
  casevault bundle export --to "Beta Rights" --case c7k2m9xq4a5b6c7d8 -o one.age
  casevault bundle export --to "Beta Rights" --case c7k2 --evidence e4xk,e7pq -o with-scans.age`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" || out == "" {
				return usagef("--to ORG and -o FILE are required")
			}
			if err := checkNewFile(out); err != nil {
				return err
			}
			var used bool
			var err error
			if to, err = g.stdinValue(to, "partner organisation", &used); err != nil {
				return err
			}
			var refs []caseRef
			for _, c := range cases {
				ref, err := parseCaseRef(c)
				if err != nil {
					return err
				}
				refs = append(refs, ref)
			}
			for _, n := range names {
				refs = append(refs, caseRef{name: n})
			}
			v, err := g.openVault()
			if err != nil {
				return err
			}
			defer v.Close()
			ids, err := resolveCaseRefs(v, refs)
			if err != nil {
				return err
			}
			var evs []vault.EvidenceID
			for _, e := range evidence {
				ref, err := parseEvidenceRef(e)
				if err != nil {
					return err
				}
				id, err := ref.resolve(v)
				if err != nil {
					return err
				}
				evs = append(evs, id)
			}
			if to, err = v.ResolveOrg(to); err != nil {
				return err
			}
			g.announceCases(v, ids)
			res, err := v.ExportBundle(cmd.Context(), vault.ExportBundleOptions{To: to, Cases: ids, Out: out, Evidence: evs})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintln(g.env.stdout, res.BundleID)
			g.infof("wrote bundle %s for %q to %s: %d case(s), %d evidence file(s), %d bytes", res.BundleID, res.Org, res.File, len(res.Cases), len(res.Evidence), res.Size)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "receiving partner organisation (- reads the name from standard input)")
	cmd.Flags().StringSliceVar(&cases, "case", nil, "only this shared case (repeat or comma-separate for several)")
	cmd.Flags().StringArrayVar(&names, "name", nil, "only the shared case whose person's name this is (word for word, ignoring script and letter case; repeat for several)")
	cmd.Flags().StringSliceVar(&evidence, "evidence", nil, "also send this evidence file of a shared case (its case goes along; repeat or comma-separate for several)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "bundle file to write (must not exist)")
	return cmd
}
