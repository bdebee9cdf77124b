package vault

import "github.com/casevault/casevault/schema/bounds"

// jsonLimits bounds the structure of every JSON document casevault reads
// from outside the store (cards, witness files, bundle manifests and
// entries, backup manifests and trailers, custody reports), checked
// before the document is decoded. Case documents have their own, tighter
// limits in schema. See SECURITY.md, "Limits on input".
var jsonLimits = bounds.Wire
