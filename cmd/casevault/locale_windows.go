//go:build windows

package main

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemLocale returns the user's default locale on Windows (such as
// "ru-RU"), which the environment does not carry; failing that, the
// user's preferred display language.
func systemLocale() string {
	proc := windows.NewLazySystemDLL("kernel32.dll").NewProc("GetUserDefaultLocaleName")
	if proc.Find() == nil {
		buf := make([]uint16, 85) // LOCALE_NAME_MAX_LENGTH
		if n, _, _ := proc.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf))); n > 0 {
			return windows.UTF16ToString(buf)
		}
	}
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return langs[0]
}
