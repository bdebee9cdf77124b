#!/usr/bin/env bash
# Renders the text captures of the case form (capture-pane output saved by
# CASEVAULT_SCREENSHOTS=1 go test ./cmd/casevault -run 'TestCaseNew') as
# PNG pictures of an 80×24 terminal, with headless Chromium (.ci/setup
# installs it). Usage: testdata/screenshots/render.sh [FILE.txt...]
set -euo pipefail
cd "$(dirname "$0")"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(case-new-*.txt)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "${files[@]}"; do
	case "$f" in *accessible*) continue ;; esac # a transcript, not a screen
	html="$tmp/$(basename "$f" .txt).html"
	{
		printf '<!doctype html><meta charset="utf-8"><style>'
		printf 'body{margin:0;background:#1e1e2e}pre{margin:0;padding:8px;color:#e0e0e0;'
		printf 'font:15px/18px "DejaVu Sans Mono",monospace;width:80ch;height:432px;overflow:hidden}'
		printf '</style><pre>'
		sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' "$f"
		printf '</pre>'
	} >"$html"
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
		--window-size=760,450 --screenshot="$PWD/$(basename "$f" .txt).png" "file://$html" >/dev/null 2>&1
	echo "$(basename "$f" .txt).png"
done
