package vault

// CaseNames maps the ID of every case in this vault to its person's name
// (with the native name in parentheses when there is one), from the list
// summaries: the names 'share list' and 'audit log' print beside IDs.
// Names never leave the vault this way: a case that is gone (removed,
// purged) has no name here.
func (v *Vault) CaseNames() (map[string]string, error) {
	list, err := v.ListCases(Filter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, s := range list {
		n := s.Name
		if s.NameNative != "" {
			n += " (" + s.NameNative + ")"
		}
		out[s.ID] = n
	}
	return out, nil
}

// TargetName returns the name of the first case among an audit entry's
// targets that names has, or "".
func TargetName(names map[string]string, targets []string) string {
	for _, t := range targets {
		if n, ok := names[t]; ok {
			return n
		}
	}
	return ""
}
