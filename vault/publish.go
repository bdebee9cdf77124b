package vault

import (
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casevault/casevault/schema"
	"github.com/casevault/casevault/vault/publish"
)

// PublishOptions say what to publish and where.
type PublishOptions struct {
	// Dir is the output directory. It must not exist, be empty, or hold an
	// earlier publication, which is replaced.
	Dir string
	// Format is html, json, csv or md.
	Format string
	// Cases limits the publication to these cases; empty means every case
	// whose consent allows publication.
	Cases []CaseID
	// Redact masks what the leak scan finds instead of refusing.
	Redact bool
}

// PublishResult describes a publication written by [Vault.Publish].
type PublishResult struct {
	Dir            string        `json:"dir"`
	Format         string        `json:"format"`
	Cases          int           `json:"cases"`
	Files          []string      `json:"files"`
	ManifestSHA256 string        `json:"manifest_sha256"`
	Masked         []publish.Hit `json:"masked"`
}

// NotPublishableError reports a case named for publication whose consent
// does not allow it.
type NotPublishableError struct{ ID, Consent string }

func (e *NotPublishableError) Error() string {
	if e.Consent == "" {
		return fmt.Sprintf("case %s has no publication.consent and is never published (set it to full or anonymous)", e.ID)
	}
	return fmt.Sprintf("case %s has publication.consent %q and is never published", e.ID, e.Consent)
}

// PublicID returns the identifier under which a case was last published,
// or "" if it never was. Public IDs and pseudonyms are random, stored in
// the case's metadata (see CaseMeta), and drawn again when the case's
// publication consent changes: nothing links a page published with
// consent full to one published after the consent became anonymous.
func (v *Vault) PublicID(id CaseID) (string, error) {
	m, err := v.CaseMeta(id)
	return m.PublicID, err
}

// Publish exports the public summaries of the cases whose
// publication.consent allows it (see package publish), after the leak scan,
// as a signed publication in o.Dir. Every case of the vault is scanned for,
// so that a case not published (consent none, or not named in o.Cases)
// cannot be named on another case's page when its consent withholds its
// name. A leak stops it with a
// [*publish.LeakError] and nothing written. The publication and its audit
// entry ("publish", targets: the case IDs, content: the manifest) are
// written together: if writing fails, no audit entry is made.
func (v *Vault) Publish(o PublishOptions) (*PublishResult, error) {
	if err := v.checkOutsideVault(o.Dir); err != nil {
		return nil, err
	}
	if err := publish.CheckOutputDir(o.Dir); err != nil {
		return nil, err
	}
	// Every case goes to the scanner: those not published here still
	// protect the names their consent withholds.
	ids, err := v.CaseIDs()
	if err != nil {
		return nil, err
	}
	named := map[CaseID]bool{}
	for _, id := range o.Cases {
		if !slices.Contains(ids, id) {
			return nil, &NotFoundError{Kind: "case", ID: id.String()}
		}
		named[id] = true
	}
	var sources []publish.Source
	newMeta := map[CaseID]CaseMeta{} // identifiers drawn for this publication
	for _, id := range ids {
		r, err := v.Case(id)
		if err != nil {
			return nil, err
		}
		c, err := r.Case()
		if err != nil {
			return nil, &CorruptError{What: "revision of case " + id.String(), Err: err}
		}
		if named[id] && publish.Consent(c) == publish.ConsentNone {
			return nil, &NotPublishableError{ID: id.String(), Consent: consentText(c)}
		}
		m, err := v.CaseMeta(id)
		if err != nil {
			return nil, err
		}
		if named[id] && m.Quarantine != nil {
			return nil, &QuarantinedError{ID: id.String(), Org: m.Quarantine.Org}
		}
		skip := len(named) > 0 && !named[id] || m.Quarantine != nil
		src := publish.Source{CaseID: id.String(), Case: c, Skip: skip}
		if consent := publish.Consent(c); consent != publish.ConsentNone && !skip {
			m, changed := publicIdentifiers(m, string(consent))
			if changed {
				newMeta[id] = m
			}
			src.PublicID, src.Pseudonym = m.PublicID, m.Pseudonym
		} else {
			// Not published: an identifier only for the leak report.
			src.PublicID = "p" + randomID()
		}
		sources = append(sources, src)
	}
	set, err := publish.Prepare(v.meta.Org, sources, publish.Options{Redact: o.Redact})
	if err != nil {
		return nil, err
	}
	pub, err := publish.Build(set, o.Format, v.id.VerifyKey(), v.id.Sign)
	if err != nil {
		return nil, err
	}
	err = v.commit(func(c *change) error {
		for id, m := range newMeta {
			if err := c.putJSON(caseMetaKey(id), v.keys.sys, m); err != nil {
				return err
			}
		}
		c.auditHash("publish", set.CaseIDs(), pub.ManifestSHA256)
		return pub.WriteDir(o.Dir)
	})
	if err != nil {
		return nil, err
	}
	masked := set.Masked
	if masked == nil {
		masked = []publish.Hit{}
	}
	return &PublishResult{Dir: o.Dir, Format: o.Format, Cases: len(set.Records), Files: pub.Paths(),
		ManifestSHA256: hex.EncodeToString(pub.ManifestSHA256), Masked: masked}, nil
}

// consentText returns publication.consent as written, or "" if absent.
func consentText(c *schema.Case) string {
	p, _ := c.Doc["publication"].(map[string]any)
	s, _ := p["consent"].(string)
	return s
}

// checkOutsideVault refuses an output directory inside the vault, where
// public files have no business.
func (v *Vault) checkOutsideVault(dir string) error {
	if dir == "" {
		return errors.New("no output directory")
	}
	a, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	vd, err := filepath.Abs(v.dir)
	if err != nil {
		return err
	}
	if a == vd || strings.HasPrefix(a, vd+string(filepath.Separator)) {
		return fmt.Errorf("output directory %s is inside the vault directory", dir)
	}
	return nil
}
