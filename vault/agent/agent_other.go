//go:build !linux && !darwin

package agent

import (
	"errors"
	"io/fs"
	"net"
	"runtime"
	"time"
)

// There is no unlock agent here. On Windows a Unix socket has no peer
// credentials to check, and a named pipe with an owner-only ACL would need
// the identity handed to a detached process some other way than the
// inherited file descriptors the agent uses; rather than a weaker agent,
// there is none: every command asks for the passphrase. See SECURITY.md.

const agentAvailable = false

var agentPlatform = func() string {
	if runtime.GOOS == "windows" {
		return "Windows"
	}
	return runtime.GOOS
}()

var errNotUnixConn = errors.New("the unlock agent is not available")

func ownedByMe(fs.FileInfo) bool { return false }

func listenPrivate(string) (net.Listener, error) { return nil, ErrUnavailable }

func peerUID(net.Conn) (int, error) { return -1, ErrUnavailable }

// HardenProcess does nothing here: there is no agent process to harden.
func HardenProcess() error { return nil }

// LockedBuffer returns an ordinary buffer here (nothing holds secrets for
// long without the agent).
func LockedBuffer(n int) ([]byte, error) { return make([]byte, n), nil }

// FreeLocked wipes a buffer from LockedBuffer.
func FreeLocked(b []byte) { clear(b) }

func bootClock() time.Duration { return 0 }
