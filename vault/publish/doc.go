// Package publish turns case files into redacted public summaries: it
// selects the cases whose publication consent allows it, keeps only their
// public fields (anonymised where the consent says so), scans everything it
// would write for restricted, confidential and personal data, renders the
// result as a static HTML site, JSON, CSV or Markdown, and signs a manifest
// of the files that anyone can check against the organisation's card.
//
// The package knows nothing of the vault: it works on [schema.Case] values
// and a signing function, and [Verify] needs nothing but the published
// directory and the organisation's verify key.
package publish
