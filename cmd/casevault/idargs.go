package main

import (
	"github.com/casevault/casevault/vault"
	"github.com/spf13/cobra"
)

// caseRef is a case as the command line names it: a whole ID, a unique
// prefix of one ("c7k2"), or a name given with --name. Its text is checked
// before the vault is opened (a malformed ID is refused before any
// passphrase is asked for) and resolved once it is open.
type caseRef struct {
	prefix vault.IDPrefix
	name   string
}

// parseCaseRef checks a case ID or prefix argument.
// parseCaseRefs parses each of args as parseCaseRef does.
func parseCaseRefs(args []string) ([]caseRef, error) {
	var refs []caseRef
	for _, a := range args {
		ref, err := parseCaseRef(a)
		if err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

func parseCaseRef(s string) (caseRef, error) {
	p, err := vault.ParseCasePrefix(s)
	return caseRef{prefix: p}, err
}

// caseRefOf is the case a command names by its argument or by --name
// (exactly one of them).
func caseRefOf(args []string, name string) (caseRef, error) {
	switch {
	case name != "" && len(args) > 0:
		return caseRef{}, usagef("name the case by its ID or by --name, not both")
	case name != "":
		return caseRef{name: name}, nil
	case len(args) == 0:
		return caseRef{}, usagef("no case: give its ID (or the first 4 or more characters of it) or --name NAME")
	}
	return parseCaseRef(args[0])
}

// resolve finds the case in v.
func (r caseRef) resolve(v *vault.Vault) (vault.CaseID, error) {
	if r.name != "" {
		return resolveByName(v, r.name)
	}
	if r.prefix.Full {
		return vault.CaseID(r.prefix.Lo), nil
	}
	return v.ResolveCase(r.prefix.Text)
}

// resolveByName is the one place the CLI finds a case by --name (one of its person names,
// word for word on folded skeletons; refused when no case or more than one matches).
func resolveByName(v *vault.Vault, name string) (vault.CaseID, error) {
	return v.ResolveCaseName(name)
}

// addCaseNameFlag adds --name to a command that takes a case ID.
func addCaseNameFlag(cmd *cobra.Command, name *string) {
	cmd.Flags().StringVar(name, "name", "", "the case whose person's name this is (one of its person names, word for word ignoring script and letter case; refused if several match), instead of its ID")
}

// caseIDOrName accepts one case ID argument, or none with --name.
var caseIDOrName = cobra.MaximumNArgs(1)

// evidenceRef is an evidence ID or a unique prefix of one.
type evidenceRef struct{ prefix vault.IDPrefix }

func parseEvidenceRef(s string) (evidenceRef, error) {
	p, err := vault.ParseEvidencePrefix(s)
	return evidenceRef{p}, err
}

func (r evidenceRef) resolve(v *vault.Vault) (vault.EvidenceID, error) {
	if r.prefix.Full {
		return vault.EvidenceID(r.prefix.Lo), nil
	}
	return v.ResolveEvidence(r.prefix.Text)
}

// caseVaultBy opens the vault and finds the case named by args or --name.
func (g *globals) caseVaultBy(args []string, name string, readOnly bool) (vault.CaseID, *vault.Vault, error) {
	ref, err := caseRefOf(args, name)
	if err != nil {
		return vault.CaseID{}, nil, err
	}
	v, err := g.open(readOnly)
	if err != nil {
		return vault.CaseID{}, nil, err
	}
	id, err := ref.resolve(v)
	if err != nil {
		v.Close()
		return id, nil, err
	}
	return id, v, nil
}

// resolveCaseRefs resolves several case references (nil for none).
func resolveCaseRefs(v *vault.Vault, refs []caseRef) ([]vault.CaseID, error) {
	var out []vault.CaseID
	for _, r := range refs {
		id, err := r.resolve(v)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
