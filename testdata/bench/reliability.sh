#!/usr/bin/env bash
# Timings of backup, restore, rekey, purge and check on a vault of $N cases
# (default 10000, from testdata/gen, added with import) with one evidence file
# of $EVID_MB MiB (default 256). Unlocks with an age identity file, so no
# scrypt is measured. Prints one line per operation: seconds, and sizes.
#
# Usage: testdata/bench/reliability.sh          (from the repository root)
#        N=2000 EVID_MB=64 testdata/bench/reliability.sh
set -euo pipefail

N=${N:-10000}
EVID_MB=${EVID_MB:-256}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BIN=$WORK/bin
mkdir -p "$BIN"
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault && go build -o "$BIN/gen" ./testdata/gen)

cv() { "$BIN/casevault" --identity "$WORK/identity.txt" "$@"; }
secs() { # secs LABEL COMMAND...: run and print the wall time
	local label=$1
	shift
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
	t1=$(date +%s.%N)
	printf '%-28s %8.2f s\n' "$label" "$(echo "$t1 - $t0" | bc)"
}

export CASEVAULT_DIR=$WORK/vault CASEVAULT_PASSPHRASE_FILE=$WORK/pass NO_COLOR=1
echo "bench passphrase" >"$WORK/pass"
chmod 600 "$WORK/pass"
"$BIN/gen" -n "$N" -seed 1 -o "$WORK/cases.jsonl"
head -c $((EVID_MB * 1024 * 1024)) /dev/urandom >"$WORK/evidence.bin"

echo "machine: $(nproc) cores, $(uname -sr); N=$N cases, evidence ${EVID_MB} MiB"
build_age_keygen() {
	if (cd "$ROOT" && go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen) 2>/dev/null; then
		return
	fi
	# go.sum of casevault lacks the sums of age's command packages: build in
	# a scratch module from the module cache (as testdata/bench/evidence.sh).
	local m ver
	m=$(mktemp -d)
	ver=$(cd "$ROOT" && go list -m -f '{{.Version}}' filippo.io/age)
	printf 'module agebuild\n\ngo 1.26\n\nrequire filippo.io/age %s\n' "$ver" >"$m/go.mod"
	(cd "$m" && { GOFLAGS=-mod=mod GOPROXY=off go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen 2>/dev/null ||
		GOFLAGS=-mod=mod go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen; })
	rm -rf "$m"
}
build_age_keygen
"$BIN/age-keygen" -o "$WORK/identity.txt" 2>/dev/null
"$BIN/casevault" init --org "Bench Group" --identity "$WORK/identity.txt" >/dev/null 2>&1
secs "import $N cases" cv import -f "$WORK/cases.jsonl"
cv case list --json >"$WORK/list.json"
ID=$(grep -m1 '"id"' "$WORK/list.json" | sed 's/.*"id": "\(c[a-z2-7]*\)".*/\1/')
secs "evidence add ${EVID_MB} MiB" cv evidence add "$ID" "$WORK/evidence.bin"
echo "vault size: $(du -sm "$CASEVAULT_DIR" | cut -f1) MiB"
secs "backup" cv backup -o "$WORK/backup.cvbak"
echo "backup size: $(( $(stat -c %s "$WORK/backup.cvbak") / 1024 / 1024 )) MiB"
secs "restore (incl. verification)" cv restore "$WORK/backup.cvbak" --vault "$WORK/restored"
secs "check" cv check
secs "check --read-data" cv check --read-data
secs "rekey" cv rekey
secs "case purge (one case)" cv case purge "$ID"
secs "check after purge" cv check
