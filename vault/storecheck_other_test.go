//go:build !unix

package vault

import "errors"

func mkfifoForTest(string) error { return errors.New("no FIFOs on this system") }
