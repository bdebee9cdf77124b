#!/usr/bin/env bash
# Figure of issue 15: a second backup after adding one case to a vault with
# $SIZE_MB MB of evidence (default 300), against a full backup.
#
# Builds casevault (and age-keygen, for an X25519 identity file, so that no
# scrypt unlock is timed), makes a vault of $CASES cases (default 30) with
# $SIZE_MB MiB of random evidence spread over them, then:
#   backup -o link1          link 1 of a new chain: the whole vault
#   case add                 one more case
#   backup -o link2          link 2: only what changed
#   backup --full -o full    a full backup of the same state, for comparison
#   restore link2 link1      the chain, checked
# and prints the size and wall time of each.
#
# Usage: testdata/bench/backup.sh            (from the repository root)
#        SIZE_MB=50 testdata/bench/backup.sh
# $WORK names a scratch directory (default: a new one, removed at the end);
# it needs about 5 x SIZE_MB of free space.
set -euo pipefail

SIZE_MB=${SIZE_MB:-300}
CASES=${CASES:-30}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -z "${WORK:-}" ]]; then
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK/bin"
BIN=$WORK/bin

echo "== building casevault and age-keygen" >&2
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault)
if ! (cd "$ROOT" && go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen) 2>/dev/null; then
	m=$(mktemp -d)
	ver=$(cd "$ROOT" && go list -m -f '{{.Version}}' filippo.io/age)
	printf 'module agebuild\n\ngo 1.26\n\nrequire filippo.io/age %s\n' "$ver" >"$m/go.mod"
	(cd "$m" && { GOFLAGS=-mod=mod GOPROXY=off go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen 2>/dev/null ||
		GOFLAGS=-mod=mod go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen; })
	rm -rf "$m"
fi

"$BIN/age-keygen" -o "$WORK/identity.txt" 2>/dev/null
printf 'bench backup passphrase\n' >"$WORK/pass"
chmod 600 "$WORK/pass" "$WORK/identity.txt"
export CASEVAULT_DIR=$WORK/vault CASEVAULT_IDENTITY=$WORK/identity.txt CASEVAULT_AUTHOR=bench NO_COLOR=1
CASEVAULT_PASSPHRASE_FILE=$WORK/pass "$BIN/casevault" init --org Bench --identity "$WORK/identity.txt" >/dev/null 2>&1
cv() { "$BIN/casevault" "$@"; }

echo "== a vault of $CASES cases with $SIZE_MB MiB of evidence" >&2
per=$((SIZE_MB * 1024 * 1024 / CASES))
for i in $(seq 1 "$CASES"); do
	printf 'schema: case.v1\nperson:\n  name: Bench Person %d\nstatus: pretrial\n' "$i" >"$WORK/case.yaml"
	id=$(cv case add -f "$WORK/case.yaml")
	head -c "$per" /dev/urandom >"$WORK/ev.bin"
	cv evidence add "$id" "$WORK/ev.bin" >/dev/null
done
rm -f "$WORK/ev.bin"

now() { date +%s.%N; }
timed() { # timed NAME CMD...: runs CMD, sets SECS
	local t0 t1
	t0=$(now)
	"${@:2}" >/dev/null 2>"$WORK/$1.err"
	t1=$(now)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
}
size() { stat -c %s "$1"; }

timed link1 cv backup -o "$WORK/link1.cvbak"
T1=$SECS
printf 'schema: case.v1\nperson:\n  name: One More Person\nstatus: pretrial\n' >"$WORK/case.yaml"
cv case add -f "$WORK/case.yaml" >/dev/null
timed link2 cv backup -o "$WORK/link2.cvbak"
T2=$SECS
timed full cv backup --full -o "$WORK/full.cvbak"
TF=$SECS
timed baseline cv case list
TB=$SECS
timed restore cv restore "$WORK/link2.cvbak" "$WORK/link1.cvbak" --vault "$WORK/restored"
TR=$SECS

S1=$(size "$WORK/link1.cvbak")
S2=$(size "$WORK/link2.cvbak")
SF=$(size "$WORK/full.cvbak")
cat <<OUT
machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
vault: $CASES cases, $SIZE_MB MiB of evidence, then one case added
link 1 (whole vault)          $S1 bytes  ${T1} s
link 2 (after one case added) $S2 bytes  ${T2} s
backup --full (same state)    $SF bytes  ${TF} s
link 2 / full: size $(awk -v a="$S2" -v b="$SF" 'BEGIN{printf "%.6f", a/b}'), time $(awk -v a="$T2" -v b="$TF" 'BEGIN{printf "%.3f", a/b}')
restore of links 1-2 (checked) ${TR} s
baseline: 'case list' (open, unlock, close) ${TB} s
OUT
