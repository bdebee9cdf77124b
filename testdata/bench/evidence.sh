#!/usr/bin/env bash
# Benchmark of evidence files against the age command (issue 3).
#
# Builds casevault and age (filippo.io/age/cmd/age, the version in go.mod),
# makes one random file of $SIZE_MB MiB (default 1024) and runs, on that same
# file in one run:
#   age -r RECIPIENT -o out file       vs  casevault evidence add CASE file
#   age -d -i IDENTITY -o back out     vs  casevault evidence get EVID -o back
# Both use the same X25519 identity file (so no scrypt is measured). For
# each command it polls /proc/PID/status for the peak RssAnon and RssFile,
# and it measures how much the vault grows. It prints the figures and the
# ratios against the targets:
#   add <= 1.5 x age -r, get <= 1.5 x age -d, RssAnon < 64 MiB, growth <= 1.01 x.
# With REPEAT=N (default 3) the four commands run in N interleaved rounds,
# and the medians of the times and of the per-round ratios are reported.
#
# Usage: testdata/bench/evidence.sh            (from the repository root)
#        SIZE_MB=256 REPEAT=5 testdata/bench/evidence.sh
# $WORK names a scratch directory (default: a new one under $TMPDIR, removed
# at the end); it needs about 4 x SIZE_MB of free space.
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
REPEAT=${REPEAT:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -z "${WORK:-}" ]]; then
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
BIN=$WORK/bin
mkdir -p "$BIN"

echo "== building casevault and age" >&2
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault)
build_age() {
	local pkg=$1 out=$2
	if (cd "$ROOT" && go build -o "$out" "$pkg") 2>/dev/null; then
		return
	fi
	# go.sum of casevault lacks the sums of age's command-only packages:
	# build in a scratch module from the module cache (offline first).
	local m
	m=$(mktemp -d)
	local ver
	ver=$(cd "$ROOT" && go list -m -f '{{.Version}}' filippo.io/age)
	printf 'module agebuild\n\ngo 1.26\n\nrequire filippo.io/age %s\n' "$ver" >"$m/go.mod"
	(cd "$m" && { GOFLAGS=-mod=mod GOPROXY=off go build -o "$out" "$pkg" 2>/dev/null ||
		GOFLAGS=-mod=mod go build -o "$out" "$pkg"; })
	rm -rf "$m"
}
build_age filippo.io/age/cmd/age "$BIN/age"
build_age filippo.io/age/cmd/age-keygen "$BIN/age-keygen"

echo "== making a ${SIZE_MB} MiB random file" >&2
SRC=$WORK/evidence.bin
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$SRC"
SIZE=$(stat -c %s "$SRC")

"$BIN/age-keygen" -o "$WORK/identity.txt" 2>/dev/null
RECIPIENT=$("$BIN/age-keygen" -y "$WORK/identity.txt")
export CASEVAULT_DIR=$WORK/vault CASEVAULT_IDENTITY=$WORK/identity.txt CASEVAULT_AUTHOR=bench NO_COLOR=1
printf 'bench passphrase\n' >"$WORK/pass"
chmod 600 "$WORK/pass"
CASEVAULT_PASSPHRASE_FILE=$WORK/pass "$BIN/casevault" init --org Bench --identity "$WORK/identity.txt" >/dev/null 2>&1
printf 'schema: case.v1\nperson:\n  name: Bench Person\nstatus: pretrial\n' >"$WORK/case.yaml"
CASE=$("$BIN/casevault" case add -f "$WORK/case.yaml")

# measure NAME CMD... runs CMD, polling its memory; sets SECS, ANON, FILE
# (peaks in KiB).
measure() {
	local name=$1
	shift
	local start end pid a f k v
	ANON=0
	FILE=0
	start=$(date +%s%N)
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		a=0 f=0
		while read -r k v _; do
			case $k in
			RssAnon:) a=$v ;;
			RssFile:) f=$v ;;
			esac
		done <"/proc/$pid/status" 2>/dev/null || true
		((a > ANON)) && ANON=$a
		((f > FILE)) && FILE=$f
		sleep 0.02
	done
	wait "$pid"
	end=$(date +%s%N)
	SECS=$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.3f", (e-s)/1e9}')
	printf '%-22s %8.3f s  %8.1f MiB/s  RssAnon %6.1f MiB  RssFile %6.1f MiB\n' "$name" "$SECS" \
		"$(awk -v s="$SECS" -v n="$SIZE" 'BEGIN{printf "%.1f", n/1048576/s}')" \
		"$(awk -v k="$ANON" 'BEGIN{print k/1024}')" "$(awk -v k="$FILE" 'BEGIN{print k/1024}')" >&2
}

vault_bytes() { du -sb "$CASEVAULT_DIR" | cut -f1; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }

echo "== ${SIZE_MB} MiB, $(nproc) cores, $(uname -sr), $(go version | cut -d' ' -f3), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat "$SRC" >/dev/null # same page-cache state for everyone

# Each command starts from the same state: the dirty pages the previous
# command left are written out first (sync, not timed), so that a command
# is not throttled by the kernel for another command's writes.
# The four commands run interleaved, round after round, so that the load of
# a shared machine hits age and casevault alike; each round gives one ratio
# per pair, and the medians over the rounds are reported.
T_ENC=() T_ADD=() T_DEC=() T_GET=() R_ADDS=() R_GETS=() A_ADD=() A_GET=() F_ADD=() F_GET=()
for ((round = 1; round <= REPEAT; round++)); do
	echo "-- round $round" >&2
	rm -f "$WORK/age.out" "$WORK/age.back" "$WORK/cv.back"
	sync
	measure "age -r" "$BIN/age" -r "$RECIPIENT" -o "$WORK/age.out" "$SRC"
	T_ENC+=("$SECS")
	V0=$(vault_bytes)
	sync
	measure "casevault evidence add" sh -c 'exec "$0" evidence add "$1" "$2" >"$3"' "$BIN/casevault" "$CASE" "$SRC" "$WORK/add.out"
	T_ADD+=("$SECS") A_ADD+=("$ANON") F_ADD+=("$FILE")
	GROWTH=$(($(vault_bytes) - V0))
	EVID=$(cut -d' ' -f1 "$WORK/add.out")
	HASH=$(awk '{print $2}' "$WORK/add.out")
	sync
	measure "age -d" "$BIN/age" -d -i "$WORK/identity.txt" -o "$WORK/age.back" "$WORK/age.out"
	T_DEC+=("$SECS")
	sync
	measure "casevault evidence get" "$BIN/casevault" evidence get "$EVID" -o "$WORK/cv.back"
	T_GET+=("$SECS") A_GET+=("$ANON") F_GET+=("$FILE")
	R_ADDS+=("$(awk -v a="${T_ADD[-1]}" -v b="${T_ENC[-1]}" 'BEGIN{printf "%.3f", a/b}')")
	R_GETS+=("$(awk -v a="${T_GET[-1]}" -v b="${T_DEC[-1]}" 'BEGIN{printf "%.3f", a/b}')")
done
AGEENC_S=$(median "${T_ENC[@]}") ADD_S=$(median "${T_ADD[@]}")
AGEDEC_S=$(median "${T_DEC[@]}") GET_S=$(median "${T_GET[@]}")
ADD_ANON=$(maxof "${A_ADD[@]}") GET_ANON=$(maxof "${A_GET[@]}")
ADD_FILE=$(maxof "${F_ADD[@]}") GET_FILE=$(maxof "${F_GET[@]}")

echo "== checking the results" >&2
cmp "$SRC" "$WORK/cv.back"
cmp "$SRC" "$WORK/age.back"
[[ "$(sha256sum "$SRC" | cut -d' ' -f1)" == "$HASH" ]] || { echo "sha256 printed by add is wrong" >&2; exit 1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
ok() { awk -v v="$1" -v t="$2" 'BEGIN{print (v<=t) ? "ok" : "MISSED"}'; }
R_ADD=$(median "${R_ADDS[@]}")
R_GET=$(median "${R_GETS[@]}")
R_GROW=$(awk -v g="$GROWTH" -v n="$SIZE" 'BEGIN{printf "%.4f", g/n}')
ANON_ADD=$(awk -v k="$ADD_ANON" 'BEGIN{printf "%.1f", k/1024}')
ANON_GET=$(awk -v k="$GET_ANON" 'BEGIN{printf "%.1f", k/1024}')
FILE_ADD=$(awk -v k="$ADD_FILE" 'BEGIN{printf "%.1f", k/1024}')
FILE_GET=$(awk -v k="$GET_FILE" 'BEGIN{printf "%.1f", k/1024}')
cat <<RESULT
file size                 $SIZE bytes (${SIZE_MB} MiB), $REPEAT interleaved round(s), medians
age -r                    ${AGEENC_S} s   (rounds: ${T_ENC[*]})
casevault evidence add    ${ADD_S} s   (rounds: ${T_ADD[*]})
  add / age -r            ${R_ADD} median of per-round ratios ${R_ADDS[*]} (target <= 1.5: $(ok "$R_ADD" 1.5))
age -d                    ${AGEDEC_S} s   (rounds: ${T_DEC[*]})
casevault evidence get    ${GET_S} s   (rounds: ${T_GET[*]})
  get / age -d            ${R_GET} median of per-round ratios ${R_GETS[*]} (target <= 1.5: $(ok "$R_GET" 1.5))
peak RssAnon add / get    ${ANON_ADD} / ${ANON_GET} MiB (target < 64: $(ok "$ANON_ADD" 63.99) / $(ok "$ANON_GET" 63.99))
peak RssFile add / get    ${FILE_ADD} / ${FILE_GET} MiB (must not grow with the file)
vault growth              $GROWTH bytes = ${R_GROW} x file size (target <= 1.01: $(ok "$R_GROW" 1.01))
RESULT
