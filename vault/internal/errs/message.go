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

// Localize renders err in lang: each error of its chain that is a
// [Localizer], or whose text the catalogue knows (i18n.TranslateText), is
// replaced, inside the English text, by its translation, outermost first.
// Text that no catalogue holds stays in English.
func Localize(err error, lang string) string {
	text := err.Error()
	if lang == i18n.Default {
		return text
	}
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		en := e.Error()
		var tr string
		if l, ok := e.(Localizer); ok {
			tr = l.Localize(lang)
		} else {
			// An error of no message ID whose text the catalogue knows
			// (a sentinel, or a text made by fmt from a catalogued form).
			tr = i18n.TranslateText(lang, en)
		}
		if en != "" && tr != en {
			if i := strings.Index(text, en); i >= 0 {
				text = text[:i] + tr + text[i+len(en):]
			}
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return text
}
