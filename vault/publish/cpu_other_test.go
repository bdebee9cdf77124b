//go:build !unix

package publish

import "time"

func processCPU() time.Duration { return 0 }
