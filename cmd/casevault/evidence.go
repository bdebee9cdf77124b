package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newEvidenceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "Store, list, retrieve, verify and remove evidence files of a case",
		Long: `Evidence files (medical reports, photos, court PDFs, audio, video) are stored
encrypted in the vault, one sealed file per item, with their SHA-256, media
type, size and custody details. Mistreatment incidents refer to them by ID in
mistreatment[].evidence.`,
		Example: `  casevault evidence add c7k2m9xq4a5b6c7d8 report.pdf photo.jpg --collected-by "A. Lawyer"
  casevault evidence list c7k2m9xq4a5b6c7d8
  casevault evidence get e3xq4a5b6c7dak2mz -o report.pdf
  casevault evidence verify --all`,
	}
	for _, add := range []func(*globals) *cobra.Command{
		newEvidenceAddCmd, newEvidenceListCmd, newEvidenceShowCmd, newEvidenceGetCmd,
		newEvidenceVerifyCmd, newEvidenceRmCmd,
		newEvidenceOffloadCmd,
	} {
		cmd.AddCommand(add(g))
	}
	return cmd
}

// printEvidenceTable prints evidence metadata as a table.
func (g *globals) printEvidenceTable(list []vault.EvidenceMeta) error {
	tw := tabwriter.NewWriter(g.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, g.header("evidence"))
	for _, m := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, humanSize(m.Size), m.MediaType, m.Added.Format(time.DateOnly), plain(m.Name))
	}
	return tw.Flush()
}

// humanSize formats a byte count for people (binary units).
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
