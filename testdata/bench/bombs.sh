#!/usr/bin/env bash
# bombs.sh: time and peak memory of casevault reading hostile inputs of up
# to 4 MiB (issue 11), each refused or accepted as a whole command.
#
#   testdata/bench/bombs.sh
#
# It builds casevault, generates the inputs in $WORKDIR (default a new temp
# dir, removed at the end unless KEEP=1) and runs, for each,
# `casevault import -f FILE --dry-run` (parsing and validation, no vault)
# and `casevault case add -f FILE` (a real vault) under /usr/bin/time,
# printing wall time, peak RSS and the first line of the error.
# Target: every input accepted or refused in under 1 s, under 128 MiB.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/casevault-bombs.XXXXXX)}
mkdir -p "$WORKDIR"
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$WORKDIR"' EXIT
cd "$WORKDIR"
go build -C "$ROOT" -o "$WORKDIR/casevault" ./cmd/casevault
CV=$WORKDIR/casevault

rep() { # rep STRING BYTES: STRING repeated to BYTES bytes
	head -c "$2" < <(yes -- "$1" | tr -d '\n')
}
mib=$((4 << 20))
cp "$ROOT/schema/testdata/bomb.yaml" alias-bomb.yaml
rep '[' 30000 >brackets-30k.yaml
rep '[' 30000 >brackets-30k.json
rep '[' $((2 << 20)) >brackets-2MiB.json
rep '[' $((mib - 1)) >brackets-4MiB.yaml
rep '{"a":' $((mib - 5)) >objects-4MiB.json
rep '- ' $((mib - 2)) >dashes-4MiB.yaml
seq 0 299999 | sed 's/.*/k&: v/' >keys-300k.yaml
{ printf '{'; seq 0 299999 | sed 's/.*/"k&":1,/' | tr -d '\n'; printf '"z":1}'; } >keys-300k.json
{ printf 'person: {name: A}\nnotes: ['; rep '1,' $((mib - 40)); printf '1]\n'; } >items-4MiB.yaml
# Ordinary but large: accepted by the parser (the schema may refuse it).
{ printf 'person: {name: A}\nnotes: "'; rep 'word, [x] ' $((mib - 40)); printf '"\n'; } >long-text-4MiB.yaml
{
	printf 'person: {name: A}\nmistreatment:\n'
	for i in $(seq 1 1000); do
		printf '  - date: 2023-01-01\n    kind: [threats]\n    description: incident %d\n    witnesses: [A, B, C]\n' "$i"
	done
} >many-incidents.yaml

export CASEVAULT_PASSPHRASE_FILE=$WORKDIR/pass CASEVAULT_DIR=$WORKDIR/vault
printf 'correct horse battery staple\n' >pass
chmod 600 pass
"$CV" init --org 'Bench Group' >/dev/null 2>&1

# The unlock alone (scrypt of the passphrase, memory-hard) for comparison
# with the case add column.
/usr/bin/time -f '%e %M' -o time.out "$CV" case list >/dev/null 2>&1
read -r secs kb < <(tail -1 time.out)
printf 'unlock alone (case list): %s s, %d MiB peak\n' "$secs" "$((kb / 1024))"
printf '%-22s %9s  %-8s %8s %9s  %-8s %8s %9s  %s\n' input bytes dry-run exit seconds peak-MiB add exit seconds peak-MiB error
for f in alias-bomb.yaml brackets-30k.yaml brackets-30k.json brackets-2MiB.json brackets-4MiB.yaml objects-4MiB.json dashes-4MiB.yaml keys-300k.yaml keys-300k.json items-4MiB.yaml long-text-4MiB.yaml many-incidents.yaml; do
	row=$(printf '%-22s %9d' "$f" "$(stat -c %s "$f")")
	for cmd in "import --dry-run -f" "case add -f"; do
		in=$f
		if [ "${f##*.}" = json ] && [ "${cmd%% *}" = import ]; then
			in=${f%.json}.jsonl # one JSON document a line
			cp "$f" "$in"
		fi
		set +e
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %M' -o time.out "$CV" $cmd "$in" >/dev/null 2>err.out
		rc=$?
		set -e
		read -r secs kb < <(tail -1 time.out)
		row+=$(printf '  %-8s %8d %9s %8d' "${cmd%% *}" "$rc" "$secs" "$((kb / 1024))")
	done
	msg=$(grep -m1 'error' err.out | cut -c1-90 || true)
	echo "$row  $msg"
done
