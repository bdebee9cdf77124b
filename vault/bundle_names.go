package vault

import "github.com/casevault/casevault/vault/internal/bundlefmt"

// The bundle wire format lives in vault/internal/bundlefmt; these names
// are the API and what the bundle export and import code calls it.

// BundleLimits bound what the bundle reader accepts from untrusted input.
type BundleLimits = bundlefmt.Limits

// DefaultBundleLimits are the limits bundle import and inspect apply.
var DefaultBundleLimits = bundlefmt.DefaultLimits

// A Manifest describes a bundle: who sent it to whom, when, and every entry
// with its SHA-256. The sender signs its exact bytes.
type Manifest = bundlefmt.Manifest

// A BundleParty names the sending or receiving organisation of a bundle.
type BundleParty = bundlefmt.Party

// A ManifestEntry is one file of a bundle.
type ManifestEntry = bundlefmt.ManifestEntry

// A CaseEntry is the content of a bundle's cases/<origin-case-id>.json.
type CaseEntry = bundlefmt.CaseEntry

// A ReturnClaim names the recipient's own case that a case entry is a
// version of (a case shared back to its origin organisation).
type ReturnClaim = bundlefmt.ReturnClaim

// An EvidenceEntry describes an evidence file of a shared case.
type EvidenceEntry = bundlefmt.EvidenceEntry

// A BundleError reports a bundle that is refused; Tampered is true when it
// fails a cryptographic check.
type BundleError = bundlefmt.Error

// An ExportLimitError reports a bundle that export refuses to write
// because its recipient would refuse it.
type ExportLimitError = bundlefmt.ExportLimitError

const (
	bundleFormat  = bundlefmt.Format
	bundleVersion = bundlefmt.Version
	kindCase      = bundlefmt.KindCase
	kindEvidence  = bundlefmt.KindEvidence
)

type bundleHandler = bundlefmt.Handler

func malformed(format string, a ...any) error { return bundlefmt.Malformed(format, a...) }
