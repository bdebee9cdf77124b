package i18n

import "testing"

// TestCommandMessages: what staff, recovery, sync, agenda and case resolve
// print in English is said again in Russian and Ukrainian by
// TranslateText, the values kept (and counted in the user's language).
func TestCommandMessages(t *testing.T) {
	for _, c := range []struct{ lang, en, want string }{
		{"ru", `added "Anna K" to the staff`, `добавлен сотрудник "Anna K"`},
		{"uk", `removed "Anna K" from the staff; master key rotated (3 cases, 12 records re-keyed)`, `співробітника "Anna K" видалено; головний ключ змінено (перешифровано справ: 3, записів: 12)`},
		{"ru", "organisation fingerprint: ab12-cd34", "отпечаток организации: ab12-cd34"},
		{"ru", "split s7: any 2 of these 3 shares restore the organisation identity", "разделение s7: любые 2 из этих 3 долей восстанавливают ключ организации"},
		{"uk", "sync with office: 2 cases uploaded (1 packs, 0 files), 4 cases changed here, 1 evidence items received", "синхронізація з office: вивантажено справ: 2 (пакетів: 1, файлів: 0), змінено тут справ: 4, отримано доказів: 1"},
		{"ru", "agenda.ics holds the names and courts of 1 person: keep it private (a calendar that syncs copies it to its server)", "agenda.ics содержит имена и суды 1 человека: храните его в тайне (календарь с синхронизацией копирует его на свой сервер)"},
		{"ru", "agenda.ics holds the names and courts of 5 people: keep it private (a calendar that syncs copies it to its server)", "agenda.ics содержит имена и суды 5 человек: храните его в тайне (календарь с синхронизацией копирует его на свой сервер)"},
		{"uk", "conflict 1 of case c7k2 resolved (theirs): the case is now at revision 4", "конфлікт 1 справи c7k2 вирішено (theirs): справа тепер у редакції 4"},
		{"ru", "no hearings or deadlines in the 14 days from 2026-12-01", "нет заседаний и сроков в период с 2026-12-01 (дней: 14)"},
	} {
		if got := TranslateText(c.lang, c.en); got != c.want {
			t.Errorf("TranslateText(%s, %q)\n = %q\nwant %q", c.lang, c.en, got, c.want)
		}
	}
}
