package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casevault/casevault/vault"
	"github.com/casevault/casevault/vault/publish"
	"github.com/spf13/cobra"
)

func newPublishCmd(g *globals) *cobra.Command {
	var (
		format, out string
		cases       []string
		redact      bool
		k           int
		from        []string
		review      bool
		allow       []string
	)
	cmd := &cobra.Command{
		Use:   "publish --format html|json|csv|md -o DIR [--case ID…] [--from ORG…] [--k N]",
		Short: "Export redacted public summaries, scanned for leaks and signed",
		Long: `Publish the public summaries of every case whose publication.consent is
"full" or "anonymous" ("none" or no consent: never published), or of the
cases named with --case. Only public fields appear (after the case's
sensitivity_overrides); birth_date only as birth_year; an anonymous case
appears under a pseudonym, without birth year, region, facility, court,
judge and occupation, its region only as its federal district, every date
cut to the month (to the year where fewer than k cases share the month).
Before writing, each anonymous case must fit at least k cases of the vault
(--k, default 3) on gender, articles, first detention month, citizenship
and federal district; if not, dates go to the year, citizenship and then
the district are withheld, and if even that is not enough the publication
is refused (exit code 10) with the reason.

Cases imported from a partner's bundle are published only when named with
--case, or with --from ORG for all of that partner's cases, and show
"Reported by ORG"; cases of a removed partner are never published.

Before anything is written, every string of the output is scanned for the
values of the restricted and confidential fields of every published case,
for the names of every case whose consent withholds them (case-insensitively,
Latin and Cyrillic spellings alike), and for phone numbers, e-mail
addresses, passport and other ID numbers. A hit stops the
export (exit code 10) with a report and writes nothing; --redact masks each
hit with "[redacted]" and lists what it masked. Every restricted and
confidential value of every case in the vault is searched for, whichever
cases are published, in any spelling (transliterations, declined forms,
look-alike letters, invisible characters, other date and number formats);
a partner's secrets only in that partner's cases. The case's own public
name is never a hit.

--review writes nothing and prints every hit: its ID, how strong it is
(full name, surname only, value, phrase, number, date, address, pattern),
where it is, the match in context and whose secret it resembles. --allow ID
accepts one hit after review; it is recorded in the audit log and honoured
by later publications until the text or the secret changes.

-o names a directory, for every format: html writes index.html and
cases/ID.html, json cases.json (the full public record of each case,
described by schema/public.v1.json), csv cases.csv (one row per case) and
charges.csv, detention.csv and mistreatment.csv (keyed by public ID), md
cases.md; each also README.txt, which says what the leak scan cannot
catch. Every publication also holds MANIFEST.json (each file's SHA-256) and MANIFEST.sig
(the organisation's Ed25519 signature of it), which anyone can check with
'casevault verify-publication DIR --org CARD'. The directory must be new,
empty or an earlier publication, which is replaced as a whole. The same
vault gives byte-identical files.

With --lang ru,uk,en (--format html or md) the site is written once per
language into DIR/ru, DIR/uk, DIR/en, with links between the language
versions and a language chooser DIR/index.html (md: DIR/LANG/cases.md);
with one language, into DIR in that language. With a list, the command's
own messages are in the language of $CASEVAULT_LANG, else the locale
(default English), not in the list's first. JSON and CSV are data for
programs: their keys, columns and values stay English whatever --lang.`,
		Example: `  casevault publish --format html -o site
  casevault publish --format csv -o export --case c7k2m9xq4a5b6c7d8
  casevault publish --format json -o export --redact --json
  casevault publish --format html --review
  casevault publish --format html -o site --allow H1A2B3C4D5E6F
  casevault publish --format html -o site --from 'Partner Group' --k 5`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "format"); err != nil {
				return err
			}
			if !slices.Contains(publish.Formats, format) {
				return usagef("--format %q: want html, json, csv or md", format)
			}
			if out == "" && !review {
				return usagef("-o DIR is required")
			}
			if review && (redact || len(allow) > 0) {
				return usagef("--review cannot be combined with --redact or --allow")
			}
			refs, err := parseCaseRefs(cases)
			if err != nil {
				return err
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
			if k < 1 {
				return usagef("--k %d: want 1 or more", k)
			}
			langs, err := siteLangs(g.langFlag, format)
			if err != nil {
				return err
			}
			res, err := v.Publish(cmd.Context(), vault.PublishOptions{Dir: out, Format: format, Cases: ids, Redact: redact, K: k, From: from, Review: review, Allow: allow, Langs: langs})
			if err != nil {
				return err
			}
			if review {
				return printReview(g, res)
			}
			for _, h := range res.Masked {
				g.warnf("masked %s", h)
			}
			for _, c := range res.Coarsened {
				g.infof("anonymous case %s: %s (k-anonymity)", c.Case, strings.Join(c.Steps, ", "))
			}
			if g.json {
				return g.printJSON(res)
			}
			g.infof("published %d case(s) as %s in %s (%d files, manifest SHA-256 %s)", res.Cases, res.Format, res.Dir, len(res.Files), res.ManifestSHA256)
			if len(res.Masked) > 0 {
				g.infof("masked %d piece(s) of text; review them before releasing the files", len(res.Masked))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "output format: html, json, csv or md")
	f.StringVarP(&out, "output", "o", "", "output directory")
	f.StringArrayVar(&cases, "case", nil, "publish only this case (repeatable)")
	f.BoolVar(&redact, "redact", false, "mask what the leak scan finds instead of refusing")
	f.IntVar(&k, "k", publish.DefaultK, "each anonymous case must fit at least this many cases of the vault")
	f.StringArrayVar(&from, "from", nil, "publish the cases imported from this partner organisation (repeatable)")
	f.BoolVar(&review, "review", false, "print every hit of the leak scan and write nothing")
	f.StringArrayVar(&allow, "allow", nil, "accept the hit with this ID after review (repeatable; recorded in the audit log)")
	return cmd
}

// printReview prints the hits of a review on stdout.
func printReview(g *globals, res *vault.PublishResult) error {
	g.warnf("review output names people and internal case IDs: do not publish it")
	if g.json {
		return g.printJSON(map[string]any{"cases": res.Cases, "hits": res.Hits, "allowed": res.Allowed})
	}
	for _, h := range res.Hits {
		org := "ours"
		if h.Org != "" {
			org = "partner " + h.Org
		}
		fmt.Fprintln(g.env.stdout, plainLines(fmt.Sprintf("%s  %s  %s\n  match:   %s\n  secret:  %s field %s of case %s (%s)\n  why:     %s",
			h.ID, h.Strength, h.Where, h.Context, h.Kind, h.Field, h.Case, org, h.Why())))
	}
	g.infof("%d hit(s) in %d case(s) to publish, %d accepted earlier; nothing was written", len(res.Hits), res.Cases, len(res.Allowed))
	return nil
}
