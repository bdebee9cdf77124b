//go:build !unix

package vault

import "time"

func processCPU() time.Duration { return 0 }
