package main

import (
	"strings"

	"github.com/casevault/casevault/vault/i18n"
)

// tableColumns are the columns of every table the commands print, by
// table: the header of column C of table T is the message ui.table.T.C
// (vault/i18n/ui.LANG.toml), so that it reads in the user's language.
// Only the text view translates: --json keeps its English keys (they are
// the contract).
var tableColumns = map[string][]string{
	"staff":    {"name", "key", "fingerprint", "added"},
	"org":      {"name", "key", "fingerprint", "added"},
	"remote":   {"name", "url", "endpoint", "added"},
	"share":    {"case", "name", "org", "fields", "since"},
	"audit":    {"seq", "time", "actor", "operation", "targets", "name", "hash"},
	"cases":    {"id", "name", "origin", "status", "updated"},
	"agenda":   {"date", "time", "what", "name", "detail", "case"},
	"history":  {"rev", "time", "author", "operation", "sha256"},
	"evidence": {"id", "size", "type", "added", "name"},
	"bundle":   {"origin", "rev", "name", "status", "fields"},
	"search":   {"id", "name", "origin", "status", "updated", "fields"},
}

// uiLang is the language of tables and views: the user's, English when
// none was chosen.
func (g *globals) uiLang() string {
	if g.lang == "" {
		return i18n.Default
	}
	return g.lang
}

// ui returns the catalogue's text id (a "ui.…" message) in the user's
// language.
func (g *globals) ui(id string, data any) string {
	return i18n.T(g.uiLang(), id, data)
}

// header returns the header line of table (its columns joined by tabs,
// for a tabwriter) in the user's language.
func (g *globals) header(table string) string {
	cols := tableColumns[table]
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = g.ui("ui.table."+table+"."+c, nil)
	}
	return strings.Join(out, "\t")
}

// vocab returns value of a controlled vocabulary (status, detention,
// condition, mistreatment, gender, consent) as a table shows it: its
// translation where the catalogue has one, else the value itself (the
// value the case file holds).
func (g *globals) vocab(vocab, value string) string {
	lang := g.uiLang()
	if lang == i18n.Default || value == "" {
		return value
	}
	if id := vocabID(vocab, value); i18n.Has(lang, id) {
		return i18n.T(lang, id, nil)
	}
	return value
}

// originColumn is originColumn in the user's language: "ours" or
// "partner: NAME".
func (g *globals) originColumn(origin string) string {
	if origin == "" {
		return g.ui("ui.word.ours", nil)
	}
	return g.ui("ui.word.partner", map[string]any{"Name": origin})
}

// keyKindText is the kind of an age recipient's key in the user's
// language.
func (g *globals) keyKindText(recipient string) string {
	if keyKind(recipient) == "post-quantum" {
		return g.ui("ui.word.keyPQ", nil)
	}
	return g.ui("ui.word.keyClassic", nil)
}

// statsVocab are the dimensions of stats whose values come from a
// controlled vocabulary, with the vocabulary's name.
var statsVocab = map[string]string{"status": "status", "mistreatment": "mistreatment", "condition": "condition"}

// statsCell is value v of dimension dim as the stats table shows it:
// "(none)" for none, a vocabulary's value translated, text from cases made
// safe for the terminal.
func (g *globals) statsCell(dim, v string) string {
	if v == "" {
		return g.ui("ui.table.stats.none", nil)
	}
	if vocab, ok := statsVocab[dim]; ok {
		return plain(g.vocab(vocab, v))
	}
	return statsValue(v)
}

// fieldLabel returns the label of the field at schema path in lang from
// the field-label catalogue (ui.field.PATH in ui.LANG.toml), for the form
// and the views; the case file's field names stay English (they are the
// contract). False when the catalogue has none.
func fieldLabel(lang, path string) (string, bool) {
	if lang == "" {
		lang = i18n.Default
	}
	id := "ui.field." + path
	if !i18n.Has(i18n.Default, id) {
		return "", false
	}
	return i18n.T(lang, id, nil), true
}

// vocabID names the message of value of a vocabulary in the catalogue:
// the vocabularies older than the ui catalogue are "vocab.NAME.VALUE" in
// active.LANG.toml, the kinds of hearing "ui.vocab.hearing.VALUE".
func vocabID(vocab, value string) string {
	if vocab == "hearing" {
		return "ui.vocab.hearing." + value
	}
	return "vocab." + vocab + "." + value
}

// choiceVocab names the vocabulary of each field of the case file whose
// value is a word of a controlled vocabulary, by schema path. The codes
// of charges.code (RU-CC, RU-CAO) are names and stay as they are.
var choiceVocab = map[string]string{
	"person.gender":        "gender",
	"person.contacts.role": "role",
	"status":               "status",
	"detention.kind":       "detention",
	"detention.conditions": "condition",
	"mistreatment.kind":    "mistreatment",
	"hearings.kind":        "hearing",
	"publication.consent":  "consent",
}

// untranslatedChoices are the fields with choices that are not words.
var untranslatedChoices = map[string]bool{"charges.code": true}

// choiceText is how the form shows value c of the field at path: in
// English the value itself; in another language its translation with the
// value the case file will hold in brackets ("осуждён (sentenced)").
func choiceText(lang, path, c string) string {
	if lang == "" || lang == i18n.Default {
		return c
	}
	vocab, ok := choiceVocab[path]
	if !ok {
		return c
	}
	if id := vocabID(vocab, c); i18n.Has(lang, id) {
		if t := i18n.T(lang, id, nil); t != c {
			return t + " (" + c + ")"
		}
	}
	return c
}
