package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// custodyVerifyJSON is the --json result of custody verify.
type custodyVerifyJSON struct {
	OK          bool     `json:"ok"`
	Evidence    string   `json:"evidence"`
	Case        string   `json:"case,omitempty"`
	SHA256      string   `json:"sha256"`
	Org         string   `json:"org"`
	Fingerprint string   `json:"fingerprint"`
	Generated   string   `json:"generated"`
	RecordedAs  uint64   `json:"recorded_as"`
	Entries     int      `json:"entries"`
	ChainOK     bool     `json:"chain_ok"`
	Findings    []string `json:"findings"`
}

func newCustodyVerifyCmd(g *globals) *cobra.Command {
	var cardFile string
	cmd := &cobra.Command{
		Use:   "verify FILE --org CARDFILE",
		Short: "Check a JSON custody report against the card of the organisation that made it",
		Long: `Check a custody report written by 'casevault custody EVID --format json':
its signature over everything it states, the hash and signature of every audit
entry it lists, and that it was signed with the keys on the organisation card
given by --org. Needs no vault, so a court or a partner can run it. Exit code
8 if the report was altered or is signed by another organisation, 6 if FILE
is not a JSON custody report.

A report that verifies proves what the organisation's vault recorded; the
findings it carries (for example a broken audit log at the time it was made)
are printed, and are part of what it proves. The card is trusted only as far
as its fingerprint was compared with the organisation over another channel.`,
		Example: `  casevault custody verify custody.json --org memorial-card.json
  casevault custody verify custody.json --org memorial-card.json --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "org"); err != nil {
				return err
			}
			card, err := readCardForVerify(cardFile)
			if err != nil {
				return err
			}
			report, err := readSmall(args[0], vault.MaxCustodyReportSize)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			r, err := vault.VerifyCustodyReportFrom(report, card)
			var cre *vault.CustodyReportError
			switch {
			case errors.As(err, &cre) && cre.Forged:
				return withCode(fmt.Errorf("%s: %w", args[0], err), exitDamaged,
					"do not rely on this report: get it again from the organisation, and check that --org is the card of the organisation that made it")
			case err != nil:
				return withCode(fmt.Errorf("%s: %w", args[0], err), exitInvalid,
					"a JSON custody report is written by 'casevault custody EVID --format json'")
			}
			res := custodyVerifyJSON{
				OK: true, Evidence: r.Evidence.ID, Case: r.Evidence.Case, SHA256: r.Evidence.SHA256,
				Org: r.Org, Fingerprint: r.Fingerprint, Generated: r.Generated.UTC().Format(time.RFC3339),
				RecordedAs: r.RecordedAs, Entries: len(r.Entries), ChainOK: r.Chain.OK, Findings: r.Findings,
			}
			if res.Findings == nil {
				res.Findings = []string{}
			}
			if g.json {
				return g.printJSON(res)
			}
			fmt.Fprintf(g.env.stdout, "ok: custody report of evidence %s (SHA-256 %s), %d entries, made %s, signed by %q, fingerprint %s\n",
				plain(res.Evidence), plain(res.SHA256), res.Entries, res.Generated, plain(res.Org), res.Fingerprint)
			for _, f := range res.Findings {
				fmt.Fprintf(g.env.stdout, "finding: %s\n", plain(f))
			}
			if !res.ChainOK {
				g.warnf("the report states that the audit log was broken when it was made")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&cardFile, "org", "", "the card file of the organisation that made the report")
	return cmd
}
