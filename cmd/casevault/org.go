package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func newOrgCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "org",
		Short: "This organisation's card and the partner organisations it exchanges bundles with",
		Long: `Partner organisations are known by their card: name, age recipient (where
bundles for them are encrypted to) and Ed25519 verification key (what their
bundles must be signed with). Compare the fingerprint with the partner over
the phone or in person before trusting a card.`,
		Example: `  casevault org card -o our-card.json
  casevault org add their-card.json
  casevault org list
  casevault org rm "Old Partner"`,
	}
	for _, add := range []func(*globals) *cobra.Command{
		newOrgCardCmd, newOrgAddCmd, newOrgListCmd, newOrgRmCmd,
	} {
		cmd.AddCommand(add(g))
	}
	return cmd
}

// readSmall reads a file of at most limit bytes.
func readSmall(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than the %d-byte limit", limit)
	}
	return b, nil
}
