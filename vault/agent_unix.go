//go:build linux || darwin

package vault

import (
	"io/fs"
	"net"
	"os"
	"syscall"
)

const agentAvailable = true

// ownedByMe reports whether a file belongs to the user running casevault.
func ownedByMe(st fs.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Getuid()
}

// listenPrivate listens on a Unix socket that only this user may connect
// to: created under a 0177 umask, so there is no moment it is open, and
// removed when the listener closes.
func listenPrivate(socket string) (net.Listener, error) {
	old := syscall.Umask(0o177)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: socket, Net: "unix"})
	syscall.Umask(old)
	if err != nil {
		return nil, err
	}
	ln.SetUnlinkOnClose(true)
	if err := os.Chmod(socket, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// peerUID returns the user ID of the process at the other end of c, as
// the kernel reports it (peerCred, per platform).
func peerUID(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, errNotUnixConn
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid, cerr := -1, error(nil)
	err = raw.Control(func(fd uintptr) { uid, cerr = peerCred(int(fd)) })
	if err != nil {
		return -1, err
	}
	return uid, cerr
}
