//go:build linux || darwin

package agent

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"

	"github.com/casevault/casevault/crypto"
	"golang.org/x/sys/unix"
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

// LockedBuffer returns n bytes of memory outside the Go heap, locked
// against swapping (mlock) and kept out of core dumps where the platform
// allows (keepOutOfCore), for a secret. The error of mlock is returned
// with a usable buffer: the secret may then be swapped out. Free it with
// FreeLocked.
func LockedBuffer(n int) ([]byte, error) {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, err
	}
	keepOutOfCore(b)
	if err := unix.Mlock(b); err != nil {
		return b, fmt.Errorf("mlock: %w (the key may be swapped out)", err)
	}
	return b, nil
}

// FreeLocked wipes and unmaps a buffer from LockedBuffer.
func FreeLocked(b []byte) {
	crypto.Wipe(b)
	_ = unix.Munlock(b)
	_ = unix.Munmap(b)
}
