package main

import (
	"fmt"

	"github.com/casevault/casevault/vault/i18n"
)

// formText holds every message the case form ('case new', 'case edit
// --form') shows, by message ID, in plain English, so that they can move
// to a translation catalogue as they are. Messages with %s, %d and %q
// take arguments in the order written.
var formText = map[string]string{
	// Section titles, by the schema path of the section.
	"section.person":          "The person",
	"section.person.contacts": "Contacts (relatives, lawyers)",
	"section.charges":         "Charges",
	"section.detention":       "Detention",
	"section.mistreatment":    "Mistreatment",
	"section.proceedings":     "Court proceedings",
	"section.publication":     "Publication and consent",
	"section.case":            "About the case",
	"section.evidence":        "Evidence files",
	"section.summary":         "Summary",

	// Nouns for one entry of a list of entries, by the schema path.
	"entry.charges":         "charge",
	"entry.detention":       "period of detention",
	"entry.mistreatment":    "incident of mistreatment",
	"entry.person.contacts": "contact",
	"entry.other":           "entry of %s",
	// The same with "a" or "an", for "Add a charge?".
	"entry.a.charges":         "a charge",
	"entry.a.detention":       "a period of detention",
	"entry.a.mistreatment":    "an incident of mistreatment",
	"entry.a.person.contacts": "a contact",
	"entry.a.other":           "an entry of %s",

	// Field labels, by the schema path; fields without one are labelled
	// by their name.
	"label.person.name":              "Name (Latin script)",
	"label.person.name_native":       "Name in the original script",
	"label.person.birth_date":        "Date of birth",
	"label.person.birth_year":        "Year of birth",
	"label.person.citizenship":       "Citizenship",
	"label.charges.title":            "What the article punishes",
	"label.charges.date":             "Date charged",
	"label.detention.from":           "From",
	"label.detention.to":             "To (empty while it goes on)",
	"label.mistreatment.kind":        "Kinds of mistreatment",
	"label.publication.consent":      "Consent to publication",
	"label.publication.summary":      "Summary for the public",
	"label.proceedings.verdict_date": "Date of the verdict",

	// How a field's sensitivity is shown: the level's name in brackets.
	"level.public":       "public",
	"level.restricted":   "restricted",
	"level.confidential": "confidential",
	"level.tag":          "[%s]",

	"help.list":     "several: separate them with ;",
	"help.choices":  "space or x to tick, enter when done",
	"help.longtext": "alt+enter or ctrl+j for a new line",
	"help.date":     "YYYY-MM-DD, or YYYY-MM or YYYY",
	"help.required": "required",
	"help.empty":    "(empty)",
	"help.ok":       "ok",
	"help.problem":  "✗ %s",

	"article.pick":      "Article",
	"article.pick.help": "/ to search; the articles most used against political prisoners",
	"article.other":     "Another article (type it)",
	"article.text":      "Article as written",
	"article.text.help": "e.g. ст. 207.3 ч. 2 УК РФ, 20.3.3(1) КоАП, or any other code's article",
	"article.part":      "Part of the article",
	"article.part.help": "a number, e.g. 2; empty for none",
	"article.part.bad":  "must be the number of a part, like 2",
	"article.unknown":   "not recognised as one article of the Criminal Code or the Code of Administrative Offences: it is stored as written, with code other",

	"entry.add":      "Add %s?",
	"entry.another":  "Add another %s?",
	"entry.existing": "%s %d of %d: %s",
	"entry.keep":     "Keep as it is",
	"entry.change":   "Change it",
	"entry.remove":   "Remove it",
	"entry.problems": "This %s has mistakes:",
	"entry.fix":      "Correct it",
	"entry.drop":     "Leave it out",

	"evidence.files":         "Evidence files to attach",
	"evidence.files.help":    "paths of files, separated by ; — stored encrypted after the case, as evidence of it",
	"evidence.incident":      "Evidence files of this incident",
	"evidence.incident.help": "paths of files, separated by ; — stored after the case and linked to this incident",
	"evidence.notfile":       "%s is not a regular file",
	"evidence.missing":       "%s: %v",
	"evidence.twice":         "%s is listed twice",

	"summary.head":            "The case as it will be stored (the level of each field in brackets):",
	"summary.attach":          "Files to store as evidence after the case (%d):",
	"summary.attach.incident": "  %s  (mistreatment[%d])",
	"summary.attach.case":     "  %s",
	"summary.problems":        "The case cannot be stored yet; it has these mistakes:",
	"summary.page":            "Summary, page %d of %d",
	"summary.next":            "Next",
	"notice.next":             "OK",
	"summary.confirm":         "What now?",
	"summary.store":           "Store the case",
	"summary.store.files":     "Store the case and %d evidence file(s)",
	"summary.back":            "Go back and change it",
	"summary.cancel":          "Cancel: store nothing",

	"result.stored":    "case %s stored (revision %d)",
	"result.evidence":  "evidence %s stored: %s",
	"result.unchanged": "no changes; case %s stays at revision %d",
	"result.edited":    "case %s is now at revision %d",

	"cancel.aborted":    "the form was left (Ctrl-C, or the end of the input): nothing was stored",
	"cancel.chosen":     "cancelled: nothing was stored",
	"cancel.noname":     "no name was entered: nothing was stored",
	"refuse.notty":      "case new needs a terminal to show the form, and standard input is not one",
	"refuse.notty.hint": "to add a case from a file use 'casevault case add -f FILE'; to answer the form's questions line by line (also from a pipe) use --accessible",
	"evidence.failed":   "case %s was stored, but the evidence file %s was not: %w",
}

// formMessage returns form message id in lang: its translation in the
// catalogue (active.LANG.toml, where its ID is "form." and the key of
// formText), else the English of formText. Every text of the form passes
// through here.
func formMessage(lang, id string) (string, bool) {
	s, ok := formText[id]
	if !ok {
		return "", false
	}
	if lang != "" && lang != i18n.Default && i18n.Has(lang, "form."+id) {
		s = i18n.T(lang, "form."+id, nil)
	}
	return s, true
}

// formTextIn returns form message id in lang with args filled in; an ID
// without a message is returned as it is, so that a missing one shows.
func formTextIn(lang, id string, args ...any) string {
	s, ok := formMessage(lang, id)
	if !ok {
		return id
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// ft returns form message id in the form's language.
func (f *caseForm) ft(id string, args ...any) string { return formTextIn(f.lang, id, args...) }

// ftOr returns form message id in the form's language, or def when there
// is none.
func (f *caseForm) ftOr(id, def string) string {
	if s, ok := formMessage(f.lang, id); ok {
		return s
	}
	return def
}

// formMessage is [formMessage] in the form's language.
func (f *caseForm) formMessage(id string) (string, bool) { return formMessage(f.lang, id) }

// ft returns form message id in the user's language.
func (g *globals) ft(id string, args ...any) string { return formTextIn(g.lang, id, args...) }
