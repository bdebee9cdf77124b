//go:build !unix

package vault

import "time"

func processTimes() (user, sys time.Duration, minflt, majflt int64, ok bool) {
	return 0, 0, 0, 0, false
}
