package main

import (
	"encoding/base64"
	"fmt"

	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

func newStaffCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "staff",
		Short: "The people who work in this vault, each with their own identity",
		Long: `Staff members unlock the vault with their own age identity (--identity
FILE): the master key is wrapped to each of them, and every audit entry they
make is signed with their key. The owner holds the organisation identity and
alone adds and removes staff; removing someone rotates the master key.
Compare the fingerprint of a card with its owner before adding it.`,
		Example: `  casevault staff card --identity ~/my-key.txt --name "Anna K" -o anna.card
  casevault staff add anna.card
  casevault staff list
  casevault staff rm "Anna K"`,
	}
	for _, add := range []func(*globals) *cobra.Command{
		newStaffCardCmd, newStaffAddCmd, newStaffListCmd, newStaffRmCmd,
	} {
		cmd.AddCommand(add(g))
	}
	return cmd
}

// staffJSON is the JSON form of a staff member.
func staffJSON(m vault.StaffMember) map[string]any {
	out := map[string]any{
		"id": m.ID, "name": m.Name, "recipient": m.Recipient,
		"verify_key":  base64.StdEncoding.EncodeToString(m.VerifyKey),
		"fingerprint": m.Fingerprint, "owner": m.Owner, "active": m.Active(),
	}
	if !m.Added.IsZero() {
		out["added"] = m.Added
	}
	if !m.Active() {
		out["removed"] = m.Removed
	}
	return out
}

// whoOf says who made an audit entry: the staff member whose key signed
// it, then the declared label (--author, CASEVAULT_AUTHOR) in brackets
// when it differs; entries of the previous format have only the label.
func whoOf(e vault.AuditEntry) string {
	if e.SignedBy != "" {
		e.Staff = e.SignedBy // the name bound to the signing key
	}
	switch {
	case e.Staff == "":
		return "[" + plain(e.Actor) + "]"
	case e.Actor == "" || e.Actor == e.Staff:
		return plain(e.Staff)
	}
	return fmt.Sprintf("%s [%s]", plain(e.Staff), plain(e.Actor))
}
