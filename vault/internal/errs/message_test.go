package errs

import (
	"errors"
	"fmt"
	"testing"
)

// TestMessage: an error made of a message ID says itself in English by
// Error() and in another language by Localize, keeps its category, and is
// translated inside the errors that wrap it.
func TestMessage(t *testing.T) {
	e := NewMessage(ErrInvalid, "schema.overrideLowers", map[string]any{"Path": "person.name", "From": "public", "To": "restricted"})
	if got, want := e.Error(), "would lower person.name from public to restricted; overrides may only raise a level"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, ErrInvalid) || errors.Is(e, ErrDamaged) {
		t.Error("category lost")
	}
	wrapped := fmt.Errorf("case.yaml: %w", e)
	if got, want := Localize(wrapped, "ru"), "case.yaml: понизило бы уровень person.name с «public» до «restricted»; уровень можно только повышать"; got != want {
		t.Errorf("Localize(ru) = %q, want %q", got, want)
	}
	if got := Localize(wrapped, "en"); got != wrapped.Error() {
		t.Errorf("Localize(en) = %q", got)
	}
}

// TestLocalizeSentinels: errors of no message ID are translated where the
// catalogue knows their text, whatever wraps them; unknown text stays.
func TestLocalizeSentinels(t *testing.T) {
	noVault := New(ErrNotFound, "no vault here")
	for _, tc := range []struct {
		err        error
		lang, want string
	}{
		{fmt.Errorf("/srv/v: %w", noVault), "uk", "/srv/v: тут немає сховища"},
		{fmt.Errorf("/srv/v: %w (directory does not exist)", noVault), "ru", "/srv/v: здесь нет хранилища (каталог не существует)"},
		{errors.Join(noVault, errors.New("something else")), "ru", "здесь нет хранилища\nsomething else"},
		{errors.New("a text nobody catalogued"), "ru", "a text nobody catalogued"},
		// A frame around a wrapped error is translated as a whole, the
		// wrapped error on its own, names kept.
		{fmt.Errorf("restoring the backup with the recovered identity: %w", noVault), "ru", "восстановление резервной копии с восстановленным ключом: здесь нет хранилища"},
		{fmt.Errorf("x.json: %w", fmt.Errorf("witness file: %w", errors.New(`format is "", want "casevault-audit-witness"`))), "uk", `x.json: файл свідка: формат "", потрібен "casevault-audit-witness"`},
	} {
		if got := Localize(tc.err, tc.lang); got != tc.want {
			t.Errorf("Localize(%q, %s) = %q, want %q", tc.err, tc.lang, got, tc.want)
		}
	}
}
