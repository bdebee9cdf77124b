package main

import "github.com/casevault/casevault/vault"

// caseLabel is "ID (person name)" for a case, or the ID alone when the
// case has no readable name.
func caseLabel(v *vault.Vault, id vault.CaseID) string {
	r, err := v.Case(id)
	if err != nil {
		return id.String()
	}
	c, err := r.Case()
	if err != nil {
		return id.String()
	}
	p, _ := c.Doc["person"].(map[string]any)
	if n, ok := p["name"].(string); ok && n != "" {
		return id.String() + " (" + n + ")"
	}
	return id.String()
}

// announceCases says on stderr which cases a command that sends data to
// someone (share, bundle export) resolved its arguments to, before it acts:
// a short ID or a --name that found another case than the user meant is
// seen before anything leaves the vault.
func (g *globals) announceCases(v *vault.Vault, ids []vault.CaseID) {
	for _, id := range ids {
		g.infof("case %s", caseLabel(v, id))
	}
}
