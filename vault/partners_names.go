package vault

import partner "github.com/casevault/casevault/vault/internal/partners"

// Partner organisations and shares live in vault/internal/partners (the
// records and checks) and here (their storage); these names are the API.

// An Org is a partner organisation this vault knows: where bundles for it
// are encrypted to, and the key its bundles must be signed with.
type Org = partner.Org

// OrgExistsError reports an organisation name already in use.
type OrgExistsError = partner.ExistsError

// An OrgLookalikeError reports an organisation name that looks like the
// name of another organisation (or this vault's own) on screen.
type OrgLookalikeError = partner.LookalikeError

// A WitnessImpostorError reports a witness file whose holder name is (or
// looks like) that of a known partner, or of this vault's organisation,
// while its key is not that organisation's.
type WitnessImpostorError = partner.WitnessImpostorError

// A Share records that a case, or chosen fields of it, goes to a partner
// organisation in bundles.
type Share = partner.Share

// FieldsError reports field names that are not fields of a case file.
type FieldsError = partner.FieldsError

// CheckFields validates field names for a share against the schema and
// returns them trimmed, sorted and without duplicates.
func CheckFields(fields []string) ([]string, error) { return partner.CheckFields(fields) }

// checkWitnessHolder refuses a witness whose holder name is, or looks
// like, another organisation than the one whose key signed it.
func checkWitnessHolder(holder, keyOrg, own string, orgs []Org) error {
	return partner.CheckWitnessHolder(holder, keyOrg, own, orgs)
}
