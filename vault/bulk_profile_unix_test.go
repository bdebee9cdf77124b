//go:build unix

package vault

import (
	"syscall"
	"time"
)

// processTimes is the process's user and system time and its page faults.
func processTimes() (user, sys time.Duration, minflt, majflt int64, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0, 0, 0, false
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), ru.Minflt, ru.Majflt, true
}
