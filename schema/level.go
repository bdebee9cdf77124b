package schema

import (
	"errors"
	"fmt"
)

// A Level is the sensitivity of a field: who may ever see it. Levels are
// ordered, so that a higher level is more secret. The zero Level is not a
// valid level, so that a forgotten level never reads as public.
type Level int

// The sensitivity levels, from the least to the most secret.
const (
	// Public fields may go anywhere, including published summaries.
	Public Level = iota + 1
	// Restricted fields may go to partner organisations the case is
	// explicitly shared with.
	Restricted
	// Confidential fields go nowhere outside the vault unless a share names
	// the field explicitly.
	Confidential
)

// ErrUnknownLevel is returned by [ParseLevel] for a name that is not a level.
var ErrUnknownLevel = errors.New("unknown sensitivity level")

// String returns the name of the level as users write it: "public",
// "restricted" or "confidential".
func (l Level) String() string {
	switch l {
	case Public:
		return "public"
	case Restricted:
		return "restricted"
	case Confidential:
		return "confidential"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel returns the level named s, which is one of "public",
// "restricted" and "confidential".
func ParseLevel(s string) (Level, error) {
	switch s {
	case "public":
		return Public, nil
	case "restricted":
		return Restricted, nil
	case "confidential":
		return Confidential, nil
	}
	return 0, fmt.Errorf("%w %q: want public, restricted or confidential", ErrUnknownLevel, s)
}

// MarshalText implements [encoding.TextMarshaler].
func (l Level) MarshalText() ([]byte, error) {
	if l < Public || l > Confidential {
		return nil, fmt.Errorf("%w: %d", ErrUnknownLevel, int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (l *Level) UnmarshalText(text []byte) error {
	v, err := ParseLevel(string(text))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
