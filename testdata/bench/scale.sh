#!/usr/bin/env bash
# scale.sh: the performance targets of issue 8, measured side by side.
#
#   testdata/bench/scale.sh                 # 100,000 cases, seed 1
#   N=10000 WORD=Volkova testdata/bench/scale.sh
#   BASELINE_SAMPLE=10000 testdata/bench/scale.sh   # time age+grep on a sample, extrapolate
#
# It builds casevault (and the age commands, from the module cache or the Go
# module proxy), generates N synthetic cases, imports them into a fresh
# vault unlocked with an identity file, and prints:
#   - import time and peak memory (VmHWM; anonymous memory alongside);
#   - vault size on disk against the plain JSONL size;
#   - `case search WORD` and `case list --status sentenced` as whole commands
#     (best and median of RUNS runs, vault opening included);
#   - the same search the way a user without casevault would do it: one
#     age-encrypted file per case (same recipient), decrypted with `age -d`
#     in a loop and grepped; and the ratio.
# Figures go to stdout; work files to $WORKDIR (default a new temp dir, removed
# at the end unless KEEP=1).
set -euo pipefail

N=${N:-100000}
SEED=${SEED:-1}
WORD=${WORD:-Yablonskaya}
RUNS=${RUNS:-5}
BASELINE_SAMPLE=${BASELINE_SAMPLE:-$N}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/casevault-scale.XXXXXX)}
BIN=$WORKDIR/bin
mkdir -p "$BIN"
export PATH=$BIN:$PATH
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORKDIR"; }
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

# peak memory of a command: VmHWM and the highest RssAnon seen, in MiB
peak() {
	"$@" &
	local pid=$! hwm=0 anon=0 h a
	while kill -0 $pid 2>/dev/null; do
		if s=$(cat /proc/$pid/status 2>/dev/null); then
			h=$(awk '/^VmHWM/{print $2}' <<<"$s"); a=$(awk '/^RssAnon/{print $2}' <<<"$s")
			[ -n "$h" ] && [ "$h" -gt $hwm ] && hwm=$h
			[ -n "$a" ] && [ "$a" -gt $anon ] && anon=$a
		fi
		sleep 0.05
	done
	wait $pid
	PEAK_RSS=$((hwm / 1024)) PEAK_ANON=$((anon / 1024))
}

# time a command RUNS times; sets BEST and MEDIAN (seconds)
timeit() {
	local ts=() t0 t1
	for _ in $(seq "$RUNS"); do
		t0=$(now); "$@" >/dev/null; t1=$(now)
		ts+=("$(secs "$t0" "$t1")")
	done
	local sorted
	sorted=$(printf '%s\n' "${ts[@]}" | sort -g)
	BEST=$(head -1 <<<"$sorted")
	MEDIAN=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
}

ms() { printf '%.0f' "$(echo "$1 * 1000" | bc)"; }

say "== machine"
say "cpu: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(nproc) cores"
say "memory: $(free -h | awk '/^Mem:/{print $2 " total, " $7 " available"}')"
say "load: $(cut -d' ' -f1-3 /proc/loadavg)"
say "go: $(go version | cut -d' ' -f3)"

say "== build"
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault)
if ! command -v age >/dev/null || ! command -v age-keygen >/dev/null; then
	(cd "$WORKDIR" && GOBIN=$BIN GOFLAGS=-mod=mod go install filippo.io/age/cmd/age@v1.3.2 filippo.io/age/cmd/age-keygen@v1.3.2)
fi
say "casevault: $BIN/casevault; age: $(command -v age)"

say "== generate $N cases (seed $SEED)"
(cd "$ROOT" && go run ./testdata/gen -n "$N" -seed "$SEED" -o "$WORKDIR/cases.jsonl")
JSONL=$(stat -c %s "$WORKDIR/cases.jsonl")
say "cases.jsonl: $JSONL bytes"

cd "$WORKDIR"
age-keygen -pq -o key.txt 2>/dev/null
RCPT=$(age-keygen -y key.txt)
printf 'scale test passphrase\n' >pass
chmod 600 pass key.txt
export CASEVAULT_PASSPHRASE_FILE=$WORKDIR/pass
V=$WORKDIR/vault
casevault --vault "$V" --identity key.txt init --org "Scale Test" 2>/dev/null

say "== import"
t0=$(now)
childcpu() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($16 + $17) / t}' /proc/$$/stat; }
c0=$(childcpu)
peak casevault --vault "$V" --identity key.txt import -f cases.jsonl --format jsonl
t1=$(now)
IMPORT=$(secs "$t0" "$t1")
IMPORT_RSS=$PEAK_RSS
CPU=$(echo "$(childcpu) - $c0" | bc)
say "import: $IMPORT s wall, $CPU s CPU (user+system), peak RSS $PEAK_RSS MiB (anonymous $PEAK_ANON MiB)"
say "load after import: $(cut -d' ' -f1-3 /proc/loadavg)"
VAULT=$(du -sb "$V" | cut -f1)
say "vault size: $VAULT bytes = $(echo "scale=2; $VAULT / $JSONL" | bc) x the JSONL"

say "== casevault, whole commands ($RUNS runs, identity file)"
HITS=$(casevault --vault "$V" --identity key.txt case search "$WORD" --json | grep -c '"id"' || true)
timeit casevault --vault "$V" --identity key.txt case search "$WORD"
SEARCH_BEST=$BEST
say "case search $WORD: $HITS cases; best $(ms "$BEST") ms, median $(ms "$MEDIAN") ms"
SENT=$(casevault --vault "$V" --identity key.txt case list --status sentenced | tail -n +2 | wc -l)
timeit casevault --vault "$V" --identity key.txt case list --status sentenced
LIST_BEST=$BEST
say "case list --status sentenced: $SENT cases; best $(ms "$BEST") ms, median $(ms "$MEDIAN") ms"

say "== without casevault: one age file per case, age -d in a loop, grep"
mkdir -p plain enc
head -n "$BASELINE_SAMPLE" cases.jsonl >sample.jsonl
split -l 1 -a 6 -d sample.jsonl plain/c
(cd plain && ls) >files.txt
xargs -P "$(nproc)" -I{} age -r "$RCPT" -o enc/{}.age plain/{} <files.txt
rm -rf plain sample.jsonl files.txt
FILES=$(ls enc | wc -l)
t0=$(now)
BASE_HITS=$(for f in enc/*.age; do age -d -i key.txt "$f"; echo; done | grep -ciw -- "$WORD" || true)
t1=$(now)
BASE=$(secs "$t0" "$t1")
if [ "$FILES" -lt "$N" ]; then
	BASE_FULL=$(echo "scale=3; $BASE * $N / $FILES" | bc)
	say "age -d + grep over $FILES of $N files: $BASE s ($BASE_HITS matching); extrapolated to $N: $BASE_FULL s"
else
	BASE_FULL=$BASE
	say "age -d + grep over $FILES files: $BASE s ($BASE_HITS matching cases)"
fi

say "== summary (targets of issue 8)"
ok() { if [ "$(echo "$1" | bc)" = 1 ]; then echo ok; else echo MISSED; fi; }
say "import $N cases:        $IMPORT s (< 60 s: $(ok "$IMPORT < 60")), peak RSS $IMPORT_RSS MiB (< 512: $(ok "$IMPORT_RSS < 512"))"
say "vault / JSONL size:     $(echo "scale=2; $VAULT / $JSONL" | bc) (< 2: $(ok "$VAULT < 2 * $JSONL"))"
say "case search $WORD:      $(ms "$SEARCH_BEST") ms (< 300 ms: $(ok "$SEARCH_BEST < 0.3"))"
say "case list --status:     $(ms "$LIST_BEST") ms (< 500 ms: $(ok "$LIST_BEST < 0.5"))"
say "age+grep vs casevault:  $(echo "scale=0; $BASE_FULL / $SEARCH_BEST" | bc)x slower (>= 20x: $(ok "$BASE_FULL >= 20 * $SEARCH_BEST"))"
