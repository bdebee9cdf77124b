package charts

import (
	"reflect"

	"github.com/casevault/casevault/vault/i18n"
)

// For returns the text of the charts in lang, built from the catalogue
// (vault/i18n/active.LANG.toml, where each field of [Text] is the message
// "charts." and the field's name, its fmt verbs kept); a text the
// catalogue lacks, and every text of a language casevault does not speak,
// is the English.
func For(lang string) Text {
	t := English
	if lang == "" || lang == i18n.Default || !i18n.Supported(lang) {
		return t
	}
	t.Lang = lang
	v := reflect.ValueOf(&t).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Type.Kind() != reflect.String || f.Name == "Lang" {
			continue
		}
		if id := "charts." + f.Name; i18n.Has(lang, id) {
			v.Field(i).SetString(i18n.T(lang, id, nil))
		}
	}
	return t
}

// TextFields are the names of the fields of [Text] that hold text to
// translate, in order.
func TextFields() []string {
	var out []string
	typ := reflect.TypeOf(Text{})
	for i := 0; i < typ.NumField(); i++ {
		if f := typ.Field(i); f.Type.Kind() == reflect.String && f.Name != "Lang" {
			out = append(out, f.Name)
		}
	}
	return out
}
