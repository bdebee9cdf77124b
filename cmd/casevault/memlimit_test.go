package main

import "testing"

func TestSteeredLimit(t *testing.T) {
	const MiB = 1 << 20
	for _, c := range []struct {
		name            string
		rss, held, want int64
	}{
		{"mapped files and the token cache leave the rest to the heap", 400 * MiB, 300 * MiB, 372 * MiB},
		{"much outside the heap: never below the floor", 600 * MiB, 300 * MiB, 288 * MiB},
		{"the runtime holds pages not yet resident", 200 * MiB, 260 * MiB, 472 * MiB},
	} {
		if got := steeredLimit(c.rss, c.held, 288*MiB, 472*MiB); got != c.want {
			t.Errorf("%s: steeredLimit(%d MiB resident, %d MiB held) = %d MiB, want %d MiB", c.name, c.rss/MiB, c.held/MiB, got/MiB, c.want/MiB)
		}
	}
}
