package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newBundleExportCmd(g *globals) *cobra.Command {
	var to, out, maxSize string
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
of a case not shared with ORG is refused). A bundle larger than --max-size
is written as numbered parts beside FILE (NAME.part1of3.age…), each a
signed age file naming the bundle and the number of parts; the partner
imports them in any order. FILE must not exist; it is written through a temporary
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
			limit, err := parseByteSize(maxSize)
			if err != nil {
				return usagef("--max-size %q: %v", maxSize, err)
			}
			var used bool
			if to, err = g.stdinValue(to, "partner organisation", &used); err != nil {
				return err
			}
			refs, err := parseCaseRefs(cases)
			if err != nil {
				return err
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
			res, err := v.ExportBundle(cmd.Context(), vault.ExportBundleOptions{To: to, Cases: ids, Out: out, Evidence: evs, MaxSize: limit})
			if err != nil {
				return err
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintln(g.env.stdout, res.BundleID)
			if len(res.Parts) > 1 {
				for _, p := range res.Parts {
					g.infof("wrote part %s", p)
				}
			}
			g.infof("wrote bundle %s for %q to %s: %d case(s), %d evidence file(s), %d bytes", res.BundleID, res.Org, res.File, len(res.Cases), len(res.Evidence), res.Size)
			return nil
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "receiving partner organisation (- reads the name from standard input)")
	cmd.Flags().StringSliceVar(&cases, "case", nil, "only this shared case (repeat or comma-separate for several)")
	cmd.Flags().StringArrayVar(&names, "name", nil, "only the shared case whose person's name this is (word for word, ignoring script and letter case; repeat for several)")
	cmd.Flags().StringSliceVar(&evidence, "evidence", nil, "also send this evidence file of a shared case (its case goes along; repeat or comma-separate for several)")
	cmd.Flags().StringVar(&maxSize, "max-size", "1GiB", "largest file to write: a larger bundle is split into numbered parts FILE.part1ofN.age… (such as 25MiB; at least 16KiB)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "bundle file to write (must not exist)")
	return cmd
}

// parseByteSize reads a size such as 1GiB, 25MiB, 512KiB, 20000 (bytes).
func parseByteSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("not a size (say 1GiB, 25MiB or a number of bytes)")
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("too large")
	}
	if n*mult < vault.MinBundlePartSize {
		return 0, fmt.Errorf("a bundle part needs at least %d bytes (16KiB)", vault.MinBundlePartSize)
	}
	return n * mult, nil
}
