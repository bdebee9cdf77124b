//go:build unix

package vault

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process has used: on a
// machine shared with other work it says what an operation costs when the
// wall time says how long it waited too.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
