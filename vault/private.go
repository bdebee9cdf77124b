package vault

import (
	"fmt"
	"strings"
)

// ownerOnlySDDL is the security descriptor, in SDDL, that makes a file or
// directory private on Windows, the counterpart of mode 0600/0700: the
// owner is the user (SID ownerSID), and the DACL is protected ("P": no
// entries inherited from the parent, which on a user's profile also admit
// SYSTEM and Administrators) with one entry allowing that user full
// access. For a directory the entry is inherited by everything created in
// it (OI object inherit, CI container inherit), so the vault's files are
// private from the moment they exist.
func ownerOnlySDDL(ownerSID string, dir bool) (string, error) {
	if !validSID(ownerSID) {
		return "", fmt.Errorf("not a user SID: %q", ownerSID)
	}
	flags := ""
	if dir {
		flags = "OICI"
	}
	return "O:" + ownerSID + "D:P(A;" + flags + ";FA;;;" + ownerSID + ")", nil
}

// validSID reports whether s is a SID in string form (S-1-<authority>-<sub>…),
// so that nothing else is spliced into an SDDL string.
func validSID(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || parts[0] != "S" || parts[1] != "1" {
		return false
	}
	for _, p := range parts[2:] {
		if p == "" || len(p) > 10 {
			return false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}
