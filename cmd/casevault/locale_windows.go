//go:build windows

package main

import "golang.org/x/sys/windows"

// systemLocale returns the user's preferred UI language on Windows (such
// as "ru-RU"), which the environment does not carry.
func systemLocale() string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return langs[0]
}
