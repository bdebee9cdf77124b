package vault

import (
	"slices"

	"github.com/casevault/casevault/vault/internal/store"
)

// WitnessOrgs returns, sorted, the partner organisations this vault sent
// bundles to. Each bundle's manifest carries this vault's audit head, so
// each of them holds heads of this log and can make a witness file of them
// ('casevault audit witness' on their side): after a restore, the way to
// learn whether the log went further than the backup.
func (v *Vault) WitnessOrgs() ([]string, error) {
	var out []string
	err := v.view(func(txn *store.Txn) error {
		it := txn.NewIterator(store.IteratorOptions{Prefix: []byte{pBundle}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var rec BundleRecord
			if _, err := itemJSON(it.Item(), v.keys.sys, &rec); err != nil {
				return err
			}
			if rec.Direction == "export" && !slices.Contains(out, rec.Org) {
				out = append(out, rec.Org)
			}
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}
