package vault

import "github.com/casevault/casevault/schema"

// normalizeLocal writes the charges of a case this organisation adds,
// updates or imports in their one form (schema's NormalizeCharges, the
// text as written kept in article_original), so that statistics do not
// split one article into several. A partner's case (with provenance) is
// stored as the partner sent it.
func normalizeLocal(doc *schema.Case, o AddOptions) {
	if doc != nil && o.Provenance == nil {
		doc.NormalizeCharges()
	}
}
