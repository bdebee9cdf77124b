#!/usr/bin/env bash
# search.sh: the search and scale targets of issue 14, as whole commands.
#
#   testdata/bench/search.sh 100000          # N cases (default 100,000), seed 1
#   testdata/bench/search.sh 10000
#   IMPORT_ONLY=1 nice testdata/bench/search.sh 1000000   # import figures only
#   RUNS=5 KEEP=1 WORKDIR=/tmp/sb testdata/bench/search.sh 10000
#   CASES=/tmp/sb/cases.jsonl IMPORT_ONLY=1 testdata/bench/search.sh
#       # import the cases of an earlier run again (no generating)
#   REUSE=1 RUNS=5 CPURUNS=5 WORKDIR=/tmp/sb testdata/bench/search.sh
#       (CPURUNS: the cpu column is the median of that many runs, default 1)
#   REUSE=1 WORKDIR=/tmp/sb testdata/bench/search.sh   # the queries only, on
#       the vault a KEEP=1 run left in /tmp/sb (vault, key.txt, cases.jsonl)
#
# From the repository root or anywhere: it builds casevault and age-keygen,
# generates N synthetic cases as JSON lines with the repository's generator
# (testdata/gen, package schema/casegen), makes a vault whose identity is an
# age key file (so no passphrase is asked: the commands use --identity), and
# prints:
#   - import: wall time, CPU time and peak RSS (GNU time's maximum resident
#     set size, or polled VmHWM where GNU time is missing);
#   - the vault's size on disk against the JSONL's;
#   - whole-command timings (best and median of RUNS runs, opening the vault
#     included) of a one-word search, a prefix query, a two-word query,
#     `case list --article 207.3 --region Moscow`, `stats`, `stats --status
#     sentenced`, `case list --status sentenced`, and a broad
#     search's time to its first line of output and peak RSS;
#   - beside each, the same question answered without the vault's index:
#     `casevault export` piped to grep and jq (python3 where jq is missing).
# Commands or flags this build lacks (stats, --article, prefix queries)
# print "n/a" rather than failing, so the script runs on any version.
# Work files go to $WORKDIR (default a new temp dir, removed at the end
# unless KEEP=1); it needs about 4 x the JSONL's size of free space.
set -uo pipefail

N=${1:-${N:-100000}}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
WORD=${WORD:-Yablonskaya}       # one word, ~0.5% of generated cases
PREFIX=${PREFIX:-вороб*}        # Воробьёв, Воробьёва, Vorobyov, Vorobyova
TWO=${TWO:-Vorobyova Omsk}      # two words: both must match
BROAD=${BROAD:-colony}          # a word in most cases
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/casevault-search.XXXXXX)}
BIN=$WORKDIR/bin
mkdir -p "$BIN"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORKDIR"; }
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
die() { printf 'search.sh: %s\n' "$*" >&2; exit 1; }
nowms() { echo $(($(date +%s%N) / 1000000)); }

say "== machine"
say "cpu: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(nproc) cores"
say "memory: $(free -h | awk '/^Mem:/{print $2 " total, " $7 " available"}')"
say "load: $(cut -d' ' -f1-3 /proc/loadavg)"
say "go: $(go version | cut -d' ' -f3)"

say "== build"
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault) || die "cannot build casevault"
# age-keygen: go.sum of casevault lacks the sums of age's command packages,
# so it is built in a scratch module (from the module cache first).
if ! (cd "$ROOT" && go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen) 2>/dev/null; then
	m=$(mktemp -d)
	ver=$(cd "$ROOT" && go list -m -f '{{.Version}}' filippo.io/age)
	printf 'module agebuild\n\ngo 1.26\n\nrequire filippo.io/age %s\n' "$ver" >"$m/go.mod"
	(cd "$m" && { GOFLAGS=-mod=mod GOPROXY=off go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen 2>/dev/null ||
		GOFLAGS=-mod=mod go build -o "$BIN/age-keygen" filippo.io/age/cmd/age-keygen; }) || die "cannot build age-keygen"
	rm -rf "$m"
fi
CV=$BIN/casevault

if [ "${REUSE:-0}" = 1 ]; then
	[ -d "$WORKDIR/vault" ] && [ -f "$WORKDIR/key.txt" ] && [ -f "$WORKDIR/cases.jsonl" ] || die "REUSE=1: no vault, key.txt and cases.jsonl in $WORKDIR"
	KEEP=1
	N=$(grep -c . "$WORKDIR/cases.jsonl")
fi
if [ "${REUSE:-0}" != 1 ]; then
if [ -n "${CASES:-}" ]; then
	# the cases of an earlier run (its cases.jsonl), read where they are
	say "== cases from $CASES"
	ln -sf "$(realpath "$CASES")" "$WORKDIR/cases.jsonl" || die "cannot use $CASES"
	N=$(grep -c . "$CASES")
else
say "== generate $N cases (seed $SEED)"
(cd "$ROOT" && go run ./testdata/gen -n "$N" -seed "$SEED" -o "$WORKDIR/cases.jsonl") || die "cannot generate cases"
fi
JSONL=$(stat -L -c %s "$WORKDIR/cases.jsonl")
say "cases.jsonl: $JSONL bytes ($((JSONL / 1048576)) MiB)"

cd "$WORKDIR" || exit 1
"$BIN/age-keygen" -o key.txt 2>/dev/null || die "age-keygen failed"
printf 'search bench passphrase\n' >pass
chmod 600 pass key.txt
export CASEVAULT_PASSPHRASE_FILE=$WORKDIR/pass # init only: the commands below use the key file
V=$WORKDIR/vault
"$CV" --vault "$V" --identity key.txt init --org "Search Bench" >/dev/null 2>&1 || die "init failed"
unset CASEVAULT_PASSPHRASE_FILE
cv() { "$CV" --vault "$V" --identity key.txt "$@"; }
fi

# peak RSS (MiB) and wall seconds of a command: GNU time, else polling
# VmHWM from /proc (which misses nothing that lasts 50 ms)
GNUTIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true 2>/dev/null; then GNUTIME=/usr/bin/time; fi
measure() { # measure OUTFILE cmd...: sets M_RSS (MiB), M_WALL (s), M_CPU (s), M_RC
	local out=$1; shift
	local t0 t1
	t0=$(nowms)
	if [ -n "$GNUTIME" ]; then
		"$GNUTIME" -f '%M %U %S' -o "$WORKDIR/time.out" "$@" >"$out" 2>"$WORKDIR/err.out"
		M_RC=$?
		read -r kb u s < <(tail -1 "$WORKDIR/time.out")
		M_RSS=$((kb / 1024))
		M_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')
		M_USER=$u M_SYS=$s
	else
		"$@" >"$out" 2>"$WORKDIR/err.out" &
		local pid=$! hwm=0 h
		while kill -0 $pid 2>/dev/null; do
			h=$(awk '/^VmHWM/{print $2}' /proc/$pid/status 2>/dev/null)
			[ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
			sleep 0.05
		done
		wait $pid
		M_RC=$?
		M_RSS=$((hwm / 1024)) M_CPU=?
	fi
	t1=$(nowms)
	M_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b - a) / 1000}')
}

cd "$WORKDIR" || exit 1
V=$WORKDIR/vault
JSONL=$(stat -L -c %s "$WORKDIR/cases.jsonl")
if [ "${REUSE:-0}" = 1 ]; then
	IMPORT_WALL=n/a IMPORT_RSS=n/a
	say "== reusing the vault in $WORKDIR ($N cases)"
else
say "== import"
say "load before import: $(cut -d' ' -f1-3 /proc/loadavg)"
M_USER=? M_SYS=?
measure /dev/null "$CV" --vault "$V" --identity key.txt import -f cases.jsonl --format jsonl
# A generated file names a few people twice with different first charges
# or birth dates: those records are refused as conflicts (the others go in).
if [ "$M_RC" != 0 ] && ! grep -q "another person" "$WORKDIR/err.out"; then
	cat "$WORKDIR/err.out" >&2
	die "import failed"
fi
IMPORT_WALL=$M_WALL IMPORT_RSS=$M_RSS
say "import $N cases: $M_WALL s wall, $M_CPU s CPU ($M_USER user, $M_SYS sys), peak RSS $M_RSS MiB"
grep -E "^imported|conflict" "$WORKDIR/err.out" | head -2
say "load after import: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
VAULT=$(du -sb "$V" | cut -f1)
RATIO=$(awk -v a="$VAULT" -v b="$JSONL" 'BEGIN{printf "%.2f", a / b}')
say "vault size: $VAULT bytes ($((VAULT / 1048576)) MiB) = $RATIO x the JSONL"
if [ "${IMPORT_ONLY:-0}" = 1 ]; then
	say "== summary"
	say "N=$N import ${IMPORT_WALL}s peak ${IMPORT_RSS}MiB vault/jsonl ${RATIO}"
	exit 0
fi

# timeit CMD: runs the shell command RUNS times; sets BEST, MEDIAN (ms) or
# "n/a" if it fails, and HITS (lines of output of the last run)
timeit() {
	local ts=() t0 t1 i
	for ((i = 0; i < RUNS; i++)); do
		t0=$(nowms)
		if ! bash -c "$1" >"$WORKDIR/out" 2>"$WORKDIR/err.out"; then
			BEST=n/a MEDIAN=n/a HITS=n/a
			return
		fi
		t1=$(nowms)
		ts+=($((t1 - t0)))
	done
	local sorted
	sorted=$(printf '%s\n' "${ts[@]}" | sort -n)
	BEST=$(head -1 <<<"$sorted")
	MEDIAN=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
	HITS=$(grep -c . "$WORKDIR/out")
}

# firstline CMD: ms to the first line of output (best of RUNS), or n/a
firstline() {
	local best= i t0 t
	for ((i = 0; i < RUNS; i++)); do
		t0=$(nowms)
		t=$(bash -c "$1" 2>/dev/null | { IFS= read -r _ || exit 1; echo $(($(date +%s%N) / 1000000)); cat >/dev/null; }) || { FIRST=n/a; return; }
		t=$((t - t0))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	FIRST=$best
}

# The baselines' filters, in files (no quoting inside quoting): list keeps
# the cases charged under 207.3 in a Moscow region; stats counts cases by
# status, region and article, as `casevault stats` does (among others).
cat >list.jq <<'JQ'
select(any(.charges[]?; (.article // "") | startswith("207.3")) and ((.person.region // "") | test("Moscow")))
JQ
cat >stats.jq <<'JQ'
def count(f): [.[] | f] | group_by(.) | map({key: (.[0] // "none" | tostring), value: length}) | from_entries;
{status: count(.status), region: count(.person.region), article: count(.charges[]?.article)}
JQ
cat >list.py <<'PY'
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    if any(c.get("article", "").startswith("207.3") for c in d.get("charges", [])) and "Moscow" in d.get("person", {}).get("region", ""):
        sys.stdout.write(l)
PY
cat >stats.py <<'PY'
import collections, json, sys
c = {k: collections.Counter() for k in ("status", "region", "article")}
for l in sys.stdin:
    d = json.loads(l)
    c["status"][d.get("status")] += 1
    c["region"][d.get("person", {}).get("region")] += 1
    for ch in d.get("charges", []):
        c["article"][ch.get("article")] += 1
print(json.dumps(c))
PY
if command -v jq >/dev/null; then
	JSONTOOL=jq
	J_LIST="jq -c -f '$WORKDIR/list.jq'"
	J_STATS="jq -s -c -f '$WORKDIR/stats.jq'"
else
	JSONTOOL=python3
	J_LIST="python3 '$WORKDIR/list.py'"
	J_STATS="python3 '$WORKDIR/stats.py'"
fi
CVQ="'$CV' --vault '$V' --identity key.txt"
EXPORT="$CVQ export 2>/dev/null"
P=${PREFIX%\*}
read -r W1 W2 <<<"$TWO"

rows=()
row() { rows+=("$(printf '%-50s %9s %9s %7s %7s | %9s %7s' "$1" "$2" "$3" "$4" "${7:-}" "$5" "$6")"); }
cpuof() { # cpuof CMD: CPU ms (user+sys), median of CPURUNS runs (default 1) of the shell command
	local i cs=()
	for ((i = 0; i < ${CPURUNS:-1}; i++)); do
		measure /dev/null bash -c "$1"
		cs+=("$(awk -v c="$M_CPU" 'BEGIN{if (c == "?") print "n/a"; else printf "%d", c * 1000}')")
	done
	CPU=$(printf '%s\n' "${cs[@]}" | sort -n | sed -n "$(((${CPURUNS:-1} + 1) / 2))p")
}
compare() { # compare LABEL CASEVAULT-CMD BASELINE-CMD
	timeit "$2"
	local b=$BEST m=$MEDIAN h=$HITS
	cpuof "$2"
	local c=$CPU
	timeit "$3; exit \${PIPESTATUS[0]}" # the export's status: grep finding nothing is no failure
	row "$1" "$b" "$m" "$h" "$BEST" "$HITS" "$c"
}

say "== whole commands ($RUNS runs each; export baselines use $JSONTOOL)"
compare "case search $WORD" "$CVQ case search '$WORD'" "$EXPORT | grep -i -- '$WORD'"
compare "case search '$PREFIX'" "$CVQ case search '$PREFIX'" "$EXPORT | grep -i -- '$P'"
compare "case search '$TWO'" "$CVQ case search '$TWO'" "$EXPORT | grep -i -- '$W1' | grep -i -- '$W2'"
compare "case list --article 207.3 --region Moscow" "$CVQ case list --article 207.3 --region Moscow" "$EXPORT | $J_LIST"
compare "stats" "$CVQ stats" "$EXPORT | $J_STATS"
alone() { # alone LABEL CASEVAULT-CMD: a row without an export baseline
	timeit "$2"
	local b=$BEST m=$MEDIAN h=$HITS
	cpuof "$2"
	row "$1" "$b" "$m" "$h" "" "" "$CPU"
}
alone "stats --status sentenced" "$CVQ stats --status sentenced"
alone "case list --status sentenced" "$CVQ case list --status sentenced"
compare "case search $BROAD (all hits)" "$CVQ case search '$BROAD'" "$EXPORT | grep -i -- '$BROAD'"
firstline "$CVQ case search '$BROAD'"
CF=$FIRST
firstline "$EXPORT | grep -i -- '$BROAD'"
row "case search $BROAD: first line" "$CF" "" "" "$FIRST" ""
firstline "$CVQ case search '$BROAD' --limit 20"
row "case search $BROAD --limit 20: first line" "$FIRST" "" "" "" ""
timeit "$CVQ case search '$BROAD' --limit 20 --offset 1000"
row "case search $BROAD --limit 20 --offset 1000" "$BEST" "$MEDIAN" "$HITS" "" ""
timeit "$CVQ case list --article 207.3 --limit 20 --offset 100"
row "case list --article 207.3 --limit 20 --offset 100" "$BEST" "$MEDIAN" "$HITS" "" ""
measure /dev/null "$CV" --vault "$V" --identity key.txt case search "$BROAD"
BROAD_RSS=$([ "$M_RC" = 0 ] && echo "$M_RSS MiB" || echo n/a)
measure /dev/null bash -c "$EXPORT | grep -i -- '$BROAD'"
say "peak RSS of 'case search $BROAD': $BROAD_RSS; of export | grep: $M_RSS MiB (GNU time: the largest process)"

say ""
say "== summary: N=$N, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
say "import: ${IMPORT_WALL} s, peak RSS ${IMPORT_RSS} MiB; vault ${RATIO} x the JSONL"
printf '%-50s %9s %9s %7s %7s | %9s %7s\n' "question" "best ms" "median" "lines" "cpu ms" "export ms" "lines"
printf '%s\n' "${rows[@]}"
say "(ms: wall time of the whole command; cpu ms: user+sys, median of CPURUNS runs, which"
say " a loaded machine changes less than wall time; lines: output lines, a"
say " header included; the export baselines match"
say " bytes, not words: no transliteration, word forms or field names)"
