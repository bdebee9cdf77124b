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

//go:embed active.*.toml help.*.toml ui.*.toml
var catalogueFS embed.FS

// Default is the language used when none is chosen.
const Default = "en"

// Languages are the languages casevault speaks, English first.
var Languages = []string{"en", "ru", "uk"}

// A file is one catalogue file (active.LANG.toml or help.LANG.toml),
// parsed when a message of it is first asked for: a process that prints
// an English error does not pay for the help texts or other languages.
type file struct {
	once   sync.Once
	lang   string
	name   string
	loc    *goi18n.Localizer
	ids    map[string]bool
	raw    map[string][]string          // the forms of each message as written
	forms  map[string]map[string]string // the plural forms of counting messages
	byText map[string]string            // message ID by text, for messages that do not count
	err    error
}

// files holds the catalogue files by language and kind ("active" or
// "help").
var files = func() map[string]*file {
	m := map[string]*file{}
	for _, l := range Languages {
		for _, kind := range kinds {
			m[l+"/"+kind] = &file{lang: l, name: kind + "." + l + ".toml"}
		}
	}
	return m
}()

// kinds are the kinds of catalogue file: messages, help texts of the
// commands, and the words of tables, form labels and publications (ui).
var kinds = []string{"active", "help", "ui"}

// kindOf says which file holds message id: help texts of commands are
// "cmd.…", the words of tables, labels and publications "ui.…".
func kindOf(id string) string {
	if strings.HasPrefix(id, "cmd.") {
		return "help"
	}
	if strings.HasPrefix(id, "ui.") {
		return "ui"
	}
	return "active"
}

// get returns the catalogue file of kind in lang, parsed; nil for a
// language casevault does not speak.
func get(lang, kind string) *file {
	f := files[lang+"/"+kind]
	if f == nil {
		return nil
	}
	f.once.Do(f.load)
	return f
}

func (f *file) load() {
	f.ids, f.raw, f.forms, f.byText = map[string]bool{}, map[string][]string{}, map[string]map[string]string{}, map[string]string{}
	b, err := catalogueFS.ReadFile(f.name)
	if err != nil {
		f.err = err
		return
	}
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	mf, err := bundle.ParseMessageFileBytes(b, f.name)
	if err != nil {
		f.err = fmt.Errorf("catalogue %s: %w", f.name, err)
		return
	}
	for _, m := range mf.Messages {
		f.ids[m.ID] = true
		if m.Other != "" && m.One == "" && !lookupOnly(m.ID) {
			f.byText[m.Other] = m.ID
		}
		named := map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}
		for _, name := range []string{"zero", "one", "two", "few", "many", "other"} {
			if s := named[name]; s != "" {
				f.raw[m.ID] = append(f.raw[m.ID], s)
			}
		}
		if m.One != "" {
			f.forms[m.ID] = map[string]string{}
			for name, s := range named {
				if s != "" {
					f.forms[m.ID][name] = s
				}
			}
		}
	}
	f.loc = goi18n.NewLocalizer(bundle, f.lang)
}

// lookupOnly reports whether message id is only ever asked for by its ID:
// the texts of the case form ("form.…") and of the charts ("charts.…"),
// which hold fmt verbs and short words ("public", "Status") that other
// messages share. [Translate] and [TranslateText] never take an English
// text for one of them.
func lookupOnly(id string) bool {
	return strings.HasPrefix(id, "form.") || strings.HasPrefix(id, "charts.") || strings.HasPrefix(id, "ui.")
}

// Files are the names of the catalogue files of language lang: the
// messages (active.LANG.toml) and the help texts of the commands
// (help.LANG.toml; help.en.toml is made from the commands by
// 'go generate ./cmd/casevault').
func Files(lang string) []string {
	return []string{"active." + lang + ".toml", "help." + lang + ".toml", "ui." + lang + ".toml"}
}

// Err reports whether an embedded catalogue failed to load (a broken
// catalogue file); its messages then fall back to English, or their ID.
func Err() error {
	for _, l := range Languages {
		for _, kind := range kinds {
			if err := get(l, kind).err; err != nil {
				return err
			}
		}
	}
	return nil
}

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
	f := get(lang, kindOf(id))
	return f != nil && f.ids[id]
}

// IDs returns the message IDs of the catalogue of lang, sorted.
func IDs(lang string) []string {
	var out []string
	for _, kind := range kinds {
		if f := get(lang, kind); f != nil {
			for id := range f.ids {
				out = append(out, id)
			}
		}
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
	kind := kindOf(lc.MessageID)
	f := get(lang, kind)
	if f == nil || !f.ids[lc.MessageID] {
		lang = Default
		f = get(Default, kind)
	}
	if f == nil || f.loc == nil || !f.ids[lc.MessageID] {
		return lc.MessageID
	}
	lc.TemplateData = resolve(lang, lc.TemplateData)
	s, err := f.loc.Localize(lc)
	if err != nil && s == "" {
		return lc.MessageID
	}
	return s
}

// English returns the ID of the message whose English text is s (a text
// without placeholders), if there is one.
func English(s string) (string, bool) {
	id, ok := get(Default, "active").byText[s]
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
	if f := get(lang, kindOf(id)); f != nil && f.forms[id] != nil {
		return f.forms[id]
	}
	return get(Default, kindOf(id)).forms[id]
}
