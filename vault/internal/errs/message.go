package errs

import (
	"strings"

	"github.com/casevault/casevault/vault/i18n"
)

// A Localizer is an error that can say itself in another language: its
// Error() is the English text, Localize(lang) the same message in lang
// (en, ru, uk) from the catalogues of package i18n. The CLI renders errors
// with [Localize].
type Localizer interface {
	error
	Localize(lang string) string
}

// Message is an error made of a catalogued message: an ID of the
// catalogue (vault/i18n/active.LANG.toml) and the values of its
// placeholders, in a category.
type Message struct {
	Cat  error
	ID   string
	Data map[string]any
}

// NewMessage returns an error in category cat (nil for none) whose text is
// catalogue message id with data. Error() renders it in English.
func NewMessage(cat error, id string, data map[string]any) *Message {
	return &Message{Cat: cat, ID: id, Data: data}
}

func (e *Message) Error() string { return i18n.T(i18n.Default, e.ID, e.Data) }

// Localize returns the message in lang.
func (e *Message) Localize(lang string) string { return i18n.T(lang, e.ID, e.Data) }

// Is reports whether target is the message's category.
func (e *Message) Is(target error) bool { return e.Cat != nil && target == e.Cat }

// Localize renders err in lang: an error that is a [Localizer] says
// itself; an error that wraps others is translated as a frame around
// them (its text with each wrapped error's text left as a value, so that
// "reading x.json: %w" is matched as a whole and not mistaken for a
// message the wrapped text resembles), the wrapped errors in turn; any
// other error by its text (i18n.TranslateText). Text that no catalogue
// holds stays in English.
func Localize(err error, lang string) string {
	if lang == i18n.Default {
		return err.Error()
	}
	return localize(err, lang, 0)
}

// hole stands for a wrapped error's text inside the text of the error
// that wraps it: a value no catalogue message holds.
const hole = "\x00"

func localize(e error, lang string, depth int) string {
	en := e.Error()
	if l, ok := e.(Localizer); ok {
		return l.Localize(lang)
	}
	var inner []error
	switch u := e.(type) {
	case interface{ Unwrap() []error }:
		inner = u.Unwrap()
	case interface{ Unwrap() error }:
		if x := u.Unwrap(); x != nil {
			inner = []error{x}
		}
	}
	if depth > 32 {
		inner = nil
	}
	frame, parts := en, []string(nil)
	for _, x := range inner {
		if x == nil {
			continue
		}
		xe := x.Error()
		i := strings.LastIndex(frame, xe)
		if xe == "" || i < 0 {
			continue
		}
		frame = frame[:i] + hole + frame[i+len(xe):]
		parts = append(parts, localize(x, lang, depth+1))
	}
	if len(parts) == 0 {
		return i18n.TranslateText(lang, en)
	}
	// Fill the holes in the order of the wrapped errors, which is their
	// order in the text (fmt.Errorf with several %w, errors.Join).
	tr := i18n.TranslateText(lang, frame)
	if strings.Count(tr, hole) != len(parts) {
		tr = frame // the translation lost a hole: keep the frame in English
	}
	var b strings.Builder
	k := 0
	for _, r := range strings.SplitAfter(tr, hole) {
		if strings.HasSuffix(r, hole) && k < len(parts) {
			b.WriteString(strings.TrimSuffix(r, hole))
			b.WriteString(parts[k])
			k++
			continue
		}
		b.WriteString(r)
	}
	return b.String()
}
