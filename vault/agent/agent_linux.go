package agent

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

const agentPlatform = "Linux"

var errNotUnixConn = errors.New("not a Unix socket connection")

// peerCred returns the user ID of the peer of the Unix socket fd
// (SO_PEERCRED: the credentials the kernel recorded at connect).
func peerCred(fd int) (int, error) {
	cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil {
		return -1, err
	}
	return int(cred.Uid), nil
}

// HardenProcess keeps the current process from leaking its memory: no
// core dumps and no ptrace attach by other processes of the user
// (PR_SET_DUMPABLE 0), and a core size limit of zero. It returns the first
// error, for the caller to report; none is fatal.
func HardenProcess() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE): %w", err)
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("no core dumps: %w", err)
	}
	return nil
}

// bootClock returns CLOCK_BOOTTIME, which counts time in suspend, or 0.
func bootClock() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// keepOutOfCore leaves a secret's pages out of core dumps (MADV_DONTDUMP).
func keepOutOfCore(b []byte) { _ = unix.Madvise(b, unix.MADV_DONTDUMP) }
