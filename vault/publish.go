package vault

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
	// Langs are the languages of an html site (en, ru, uk): one writes
	// the site in that language, several write it once per language, each
	// in its own directory, with links between them. None is English.
	Langs []string
	// Cases limits the publication to these cases; empty means every case
	// whose consent allows publication.
	Cases []CaseID
	// Redact masks what the leak scan finds instead of refusing.
	Redact bool
	// K is the k of the k-anonymity check of anonymous cases; 0 means
	// publish.DefaultK.
	K int
	// From names partner organisations whose imported cases are published
	// too; other imported cases only when named in Cases.
	From []string
	// Review reports every hit of the leak scan in PublishResult.Hits and
	// writes nothing (no directory, no audit entry).
	Review bool
	// Allow accepts hits of the leak scan by ID (from a review). They are
	// recorded in the audit log ("publish.allow") and honoured by later
	// publications too, until the text or the secret changes (the hit then
	// has a new ID).
	Allow []string
	// Today is the day of publication (YYYY-MM-DD) from which each case's
	// next public hearing is chosen; empty means the local date now.
	Today string
}

// PublishResult describes a publication written by [Vault.Publish].
type PublishResult struct {
	Dir            string        `json:"dir"`
	Format         string        `json:"format"`
	Cases          int           `json:"cases"`
	Files          []string      `json:"files"`
	ManifestSHA256 string        `json:"manifest_sha256"`
	Masked         []publish.Hit `json:"masked"`
	// Coarsened lists the anonymous cases coarsened beyond the usual to
	// pass the k-anonymity check.
	Coarsened []publish.Coarsening `json:"coarsened"`
	// Hits lists every hit of the leak scan, with Review.
	Hits []publish.Hit `json:"hits,omitempty"`
	// Allowed lists the hits that accepted IDs let through.
	Allowed []publish.Hit `json:"allowed,omitempty"`
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
// [*publish.LeakError] and nothing written; so does an anonymous case whose
// details fit fewer than o.K cases of the vault however far they are
// coarsened ([*publish.AnonymityError]). Cases imported from a partner are
// published only when named in o.Cases or their organisation in o.From,
// never when that organisation was removed. The publication and its audit
// entry ("publish", targets: the case IDs, content: the manifest) are
// written together: if writing fails, no audit entry is made.
func (v *Vault) Publish(ctx context.Context, o PublishOptions) (*PublishResult, error) {
	if err := v.needOwner("publish"); err != nil {
		return nil, err
	}
	if !o.Review {
		if err := v.checkOutsideVault(o.Dir); err != nil {
			return nil, err
		}
		if err := publish.CheckOutputDir(o.Dir); err != nil {
			return nil, err
		}
	}
	// Every case goes to the scanner: those not published here still
	// protect the names their consent withholds.
	ids, err := v.CaseIDs()
	if err != nil {
		return nil, err
	}
	orgs, err := v.Orgs(false)
	if err != nil {
		return nil, err
	}
	var partners []string
	for _, org := range orgs {
		partners = append(partners, org.Name)
	}
	from := map[string]bool{}
	for _, name := range o.From {
		if !slices.Contains(partners, name) {
			return nil, &NotFoundError{Kind: NotFoundOrg, ID: fmt.Sprintf("%q", name)}
		}
		from[name] = true
	}
	named := map[CaseID]bool{}
	for _, id := range o.Cases {
		if !slices.Contains(ids, id) {
			return nil, &NotFoundError{Kind: NotFoundCase, ID: id.String()}
		}
		named[id] = true
	}
	origins, err := v.caseOriginOrgs()
	if err != nil {
		return nil, err
	}
	allow, err := v.allowedHits()
	if err != nil {
		return nil, err
	}
	var newAllow []string
	for _, h := range o.Allow {
		if !allow[h] {
			newAllow = append(newAllow, h)
		}
		allow[h] = true
	}
	var sources []publish.Source
	newMeta := map[CaseID]CaseMeta{} // identifiers drawn for this publication
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
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
		origin := origins[id.String()]
		if origin == "" && r.Provenance != nil {
			origin = r.Provenance.Org
		}
		m, err := v.CaseMeta(id)
		if err != nil {
			return nil, err
		}
		if named[id] && m.Quarantine != nil {
			return nil, &QuarantinedError{ID: id.String(), Org: m.Quarantine.Org}
		}
		skip := len(named) > 0 && !named[id] && !(origin != "" && from[origin]) || m.Quarantine != nil
		src := publish.Source{CaseID: id.String(), Case: c, Skip: skip,
			Origin: origin, Named: named[id], Quarantined: m.Quarantine != nil}
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
	today := o.Today
	if today == "" {
		today = time.Now().Format(time.DateOnly)
	}
	popts := publish.Options{Redact: o.Redact, K: o.K, From: o.From, Partners: partners, Today: today}
	if len(o.Allow) > 0 && !o.Review {
		// Every ID to accept must name a hit of this scan.
		ro := popts
		ro.Review, ro.Allow = true, allow
		rv, err := publish.Prepare(v.meta.Org, sources, ro)
		if err != nil {
			return nil, err
		}
		for _, h := range o.Allow {
			if !slices.ContainsFunc(rv.Allowed, func(a publish.Hit) bool { return a.ID == h }) {
				return nil, &UnknownHitError{ID: h}
			}
		}
	}
	popts.Review, popts.Allow = o.Review, allow
	set, err := publish.Prepare(v.meta.Org, sources, popts)
	if set != nil {
		set.Langs = o.Langs
	}
	if err != nil {
		return nil, err
	}
	if o.Review {
		hits := set.Hits
		if hits == nil {
			hits = []publish.Hit{}
		}
		return &PublishResult{Format: o.Format, Cases: len(set.Records), Files: []string{}, Masked: []publish.Hit{}, Hits: hits, Allowed: set.Allowed}, nil
	}
	pub, err := publish.Build(set, o.Format, v.id.VerifyKey(), v.id.Sign)
	if err != nil {
		return nil, err
	}
	err = v.commit(func(c *change) error {
		if len(newAllow) > 0 {
			slices.Sort(newAllow)
			c.audit(AllowedHitsOp, newAllow, []byte(strings.Join(newAllow, "\n")))
		}
		for id, m := range newMeta {
			if err := c.putJSON(caseMetaKey(id), v.keys.sys, m); err != nil {
				return err
			}
		}
		c.auditHash(OpPublish, set.CaseIDs(), pub.ManifestSHA256)
		if err := ctx.Err(); err != nil {
			return err // nothing written, the entries are not committed
		}
		return pub.WriteDir(o.Dir)
	})
	if err != nil {
		return nil, err
	}
	masked := set.Masked
	if masked == nil {
		masked = []publish.Hit{}
	}
	coarsened := set.Coarsened
	if coarsened == nil {
		coarsened = []publish.Coarsening{}
	}
	return &PublishResult{Dir: o.Dir, Format: o.Format, Cases: len(set.Records), Files: pub.Paths(),
		ManifestSHA256: hex.EncodeToString(pub.ManifestSHA256), Masked: masked, Allowed: set.Allowed, Coarsened: coarsened}, nil
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
