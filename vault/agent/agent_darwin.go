package agent

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

const agentPlatform = "macOS"

// xucredVersion is XUCRED_VERSION of <sys/ucred.h>.
const xucredVersion = 0

var errNotUnixConn = errors.New("not a Unix socket connection")

// peerCred returns the user ID of the peer of the Unix socket fd
// (LOCAL_PEERCRED: the xucred the kernel recorded at connect).
func peerCred(fd int) (int, error) {
	cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return -1, err
	}
	if cred.Version != xucredVersion {
		return -1, fmt.Errorf("unexpected xucred version %d", cred.Version)
	}
	return int(cred.Uid), nil
}

// HardenProcess keeps the current process from leaking its memory: a core
// size limit of zero, and PT_DENY_ATTACH, which makes the kernel refuse
// debuggers (ptrace, and task_for_pid through it) attaching later. Root
// and a kernel extension can still read the process. It returns the first
// error, for the caller to report; none is fatal.
func HardenProcess() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("no core dumps: %w", err)
	}
	if err := unix.PtraceDenyAttach(); err != nil {
		return fmt.Errorf("ptrace(PT_DENY_ATTACH): %w", err)
	}
	return nil
}

// bootClock returns macOS's CLOCK_MONOTONIC, which (unlike Go's monotonic
// clock there) keeps counting while the machine sleeps, or 0.
func bootClock() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// keepOutOfCore does nothing: macOS has no MADV_DONTDUMP; the core limit
// of HardenProcess keeps secrets out of core files.
func keepOutOfCore([]byte) {}
