package vault

import (
	"golang.org/x/sys/windows"
)

// MakePrivate gives path an owner-only, protected DACL (see
// ownerOnlySDDL): the Windows form of chmod 0600 / 0700.
func MakePrivate(path string, dir bool) error {
	tok := windows.GetCurrentProcessToken()
	u, err := tok.GetTokenUser()
	if err != nil {
		return err
	}
	sddl, err := ownerOnlySDDL(u.User.Sid.String(), dir)
	if err != nil {
		return err
	}
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
}
