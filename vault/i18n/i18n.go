// Package i18n holds casevault's messages in English, Russian and
// Ukrainian and renders them for one language.
//
// The catalogues are the files active.en.toml, active.ru.toml and
// active.uk.toml beside this file (TOML in the format of
// github.com/nicksnyder/go-i18n, embedded at build time): a translator
// edits them with any text editor. A message is a quoted ID with its text,
// or a table with the CLDR plural forms (one, few, many, other) of a
// message that counts something. Placeholders are {{.Name}}; a
// translation keeps every placeholder of the English text and adds none.
//
// English is the source language and the fallback: a message without a
// translation is shown in English.
package i18n

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.toml help.*.toml
var catalogueFS embed.FS

// Default is the language used when none is chosen.
const Default = "en"

// Languages are the languages casevault speaks, English first.
var Languages = []string{"en", "ru", "uk"}

type catalogue struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	// english maps an English text to its message ID, for texts made in
	// English by code that cannot know the user's language.
	english map[string]string
	// ids maps each language to the IDs it holds.
	ids map[string]map[string]bool
	// raw holds the English templates of each message: its plural forms
	// (one, other) or its text.
	raw map[string][]string
	// forms holds the plural forms of each counting message, by language.
	forms map[string]map[string]map[string]string
	err   error
}

var (
	loadOnce sync.Once
	cat      *catalogue
)

func load() *catalogue {
	loadOnce.Do(func() {
		c := &catalogue{
			bundle:     goi18n.NewBundle(language.English),
			localizers: map[string]*goi18n.Localizer{},
			english:    map[string]string{},
			ids:        map[string]map[string]bool{},
			raw:        map[string][]string{},
			forms:      map[string]map[string]map[string]string{},
		}
		c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		for _, l := range Languages {
			c.ids[l] = map[string]bool{}
			for _, name := range Files(l) {
				b, err := catalogueFS.ReadFile(name)
				if err != nil {
					c.err = err
					break
				}
				mf, err := c.bundle.ParseMessageFileBytes(b, name)
				if err != nil {
					c.err = fmt.Errorf("catalogue %s: %w", name, err)
					break
				}
				for _, m := range mf.Messages {
					c.ids[l][m.ID] = true
					if l == Default && m.Other != "" && m.One == "" {
						c.english[m.Other] = m.ID
					}
					if m.One != "" {
						if c.forms[l] == nil {
							c.forms[l] = map[string]map[string]string{}
						}
						c.forms[l][m.ID] = map[string]string{}
						for name, f := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
							if f != "" {
								c.forms[l][m.ID][name] = f
							}
						}
					}
					if l == Default {
						for _, f := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
							if f != "" {
								c.raw[m.ID] = append(c.raw[m.ID], f)
							}
						}
					}
				}
			}
			c.localizers[l] = goi18n.NewLocalizer(c.bundle, l, Default)
		}
		cat = c
	})
	return cat
}

// Files are the names of the catalogue files of language lang: the
// messages (active.LANG.toml) and the help texts of the commands
// (help.LANG.toml; help.en.toml is made from the commands by
// 'go generate ./cmd/casevault').
func Files(lang string) []string {
	return []string{"active." + lang + ".toml", "help." + lang + ".toml"}
}

// Err reports whether the embedded catalogues failed to load (a broken
// catalogue file); messages then fall back to their English source.
func Err() error { return load().err }

// Supported reports whether lang is one of [Languages].
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Normalize returns the language of a locale name or language tag such
// as "ru_RU.UTF-8", "uk-UA" or "en", if it is one casevault speaks, else
// "". The locales "C" and "POSIX" are English.
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	if s == "c" || s == "posix" {
		return "en"
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s = s[:i]
	}
	if s == "ua" { // a common mistake for Ukrainian (UA is the country)
		s = "uk"
	}
	if Supported(s) {
		return s
	}
	return ""
}

// Has reports whether the catalogue of lang holds message id.
func Has(lang, id string) bool {
	c := load()
	return c.ids[lang][id]
}

// IDs returns the message IDs of the catalogue of lang, sorted.
func IDs(lang string) []string {
	c := load()
	out := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// T returns message id in lang with the placeholders filled from data
// (a map or a struct; nil for none). A message missing in lang is given in
// English; one missing from every catalogue is returned as its ID.
func T(lang, id string, data any) string {
	return render(lang, &goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// N is T for a message that counts: the plural form of count in lang is
// chosen by the CLDR rules (1 дело, 2 дела, 5 дел). The placeholder
// {{.Count}} is count, whatever data holds.
func N(lang, id string, count int, data any) string {
	m := map[string]any{}
	switch d := data.(type) {
	case nil:
	case map[string]any:
		for k, v := range d {
			m[k] = v
		}
	case map[string]string:
		for k, v := range d {
			m[k] = v
		}
	default:
		m["Data"] = d
	}
	m["Count"] = count
	return render(lang, &goi18n.LocalizeConfig{MessageID: id, TemplateData: m, PluralCount: count})
}

func render(lang string, lc *goi18n.LocalizeConfig) string {
	c := load()
	lc.TemplateData = resolve(lang, lc.TemplateData)
	loc := c.localizers[lang]
	if loc == nil {
		loc = c.localizers[Default]
	}
	if loc == nil {
		return lc.MessageID
	}
	s, err := loc.Localize(lc)
	if err != nil && s == "" {
		return lc.MessageID
	}
	return s
}

// English returns the ID of the message whose English text is s (a text
// without placeholders), if there is one.
func English(s string) (string, bool) {
	id, ok := load().english[s]
	return id, ok
}

// Translate returns s, an English text, in lang when the catalogue holds
// it as a message without placeholders; otherwise s unchanged.
func Translate(lang, s string) string {
	if lang == Default || s == "" {
		return s
	}
	id, ok := English(s)
	if !ok || !Has(lang, id) {
		return s
	}
	return T(lang, id, nil)
}

// Forms returns the plural forms (CLDR category: template) of counting
// message id in lang, or of its English when lang has none.
func Forms(lang, id string) map[string]string {
	c := load()
	if f := c.forms[lang][id]; f != nil {
		return f
	}
	return c.forms[Default][id]
}
