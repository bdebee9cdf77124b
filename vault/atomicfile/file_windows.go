package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// createExcl creates a new file at name that did not exist (CREATE_NEW).
// A mode without group and other bits gives it an owner-only, protected
// ACL (the same as vault.MakePrivate) as it is created, so that it is
// never readable by others, not even for a moment.
func createExcl(name string, mode fs.FileMode) (*os.File, error) {
	if mode.Perm()&0o077 != 0 {
		return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode.Perm())
	}
	sa, err := privateAttributes()
	if err != nil {
		return nil, err
	}
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		sa, windows.CREATE_NEW, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}

// privateAttributes returns security attributes with an owner-only,
// protected DACL for the current user.
func privateAttributes() (*windows.SecurityAttributes, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	sid := u.User.Sid.String()
	sd, err := windows.SecurityDescriptorFromString("O:" + sid + "D:P(A;;FA;;;" + sid + ")")
	if err != nil {
		return nil, err
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	return sa, nil
}

// placeNew renames tmp to path with MoveFileEx without
// MOVEFILE_REPLACE_EXISTING: it fails if path exists.
func placeNew(tmp, path string, sync bool) error {
	from, err := windows.UTF16PtrFromString(tmp)
	if err != nil {
		return err
	}
	to, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return err
	}
	var flags uint32
	if sync {
		flags |= windows.MOVEFILE_WRITE_THROUGH
	}
	if err := windows.MoveFileEx(from, to, flags); err != nil {
		if errors.Is(err, windows.ERROR_ALREADY_EXISTS) || errors.Is(err, windows.ERROR_FILE_EXISTS) {
			err = fs.ErrExist
		}
		return &os.LinkError{Op: "rename", Old: tmp, New: path, Err: err}
	}
	return nil
}

// privateRegular reports whether fi is a plain regular file (no symbolic
// link, junction or other reparse point).
func privateRegular(fi os.FileInfo) bool {
	return fi.Mode().IsRegular() && fi.Mode()&(os.ModeSymlink|os.ModeIrregular) == 0
}

// openForOverwrite opens an existing file for writing with
// FILE_SHARE_DELETE, so that the rename that replaces it is not refused
// while it is open.
func openForOverwrite(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}

// syncDir does nothing on Windows: FlushFileBuffers on a directory needs a
// handle opened for writing, and NTFS records a rename in its metadata
// journal (placeNew asks for MOVEFILE_WRITE_THROUGH).
func syncDir(string) error { return nil }
