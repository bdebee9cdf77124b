#!/usr/bin/env bash
# startup.sh: where the time of a whole short command goes (issue 14):
# the process itself (start and package initialisation, measured with
# `casevault --version`), against opening the vault, searching and closing
# in the library (BenchmarkOpenSearch on the same vault).
#
#   testdata/bench/startup.sh VAULT KEYFILE [WORD]
#   PREFIX='вороб*' TWO='Vorobyova Omsk' BROAD=colony (the defaults) set the
#   prefix, two-word and broad queries
#   RUNS=20 testdata/bench/startup.sh /tmp/sb/vault /tmp/sb/key.txt Yablonskaya
#   NOHIT=Zzzyxq ONE=77777 (the defaults) set a word no case holds and a word
#   one case holds (generated case 77777's source URL); CASEVAULT_BIN=FILE
#   measures that binary instead of building this tree's (before/after).
#
# VAULT and KEYFILE: a vault unlocked by an age identity file, e.g. the one
# search.sh keeps with KEEP=1 WORKDIR=DIR (DIR/vault, DIR/key.txt).
# It prints, each the median of RUNS runs: CPU time (user+sys), wall time,
# peak RSS and minor page faults (each costs microseconds on a virtual
# machine) of `casevault --version` and of `casevault case search` with one
# word, a prefix, two words and a broad word (all hits, --limit 20, and the
# newest 20 by --sort updated, which keeps 20 hits, not all);
# the time to the broad search's first line; the package initialisations
# that take longest (GODEBUG=inittrace=1, clock time and bytes of one run,
# and their sums); the store's tables per level with the bytes of their
# indexes (read and decrypted by every open); and the library's open,
# search and close times.
set -uo pipefail
V=${1:?vault directory}
KEY=${2:?identity file}
WORD=${3:-Yablonskaya}
PREFIX=${PREFIX:-вороб*}
TWO=${TWO:-Vorobyova Omsk}
BROAD=${BROAD:-colony}
RUNS=${RUNS:-10}
NOHIT=${NOHIT:-Zzzyxq}
ONE=${ONE:-77777}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(mktemp -d /tmp/casevault-startup.XXXXXX)
trap 'rm -rf "$BIN"' EXIT
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault && go test -c -o "$BIN/vault.test" ./vault) || exit 1
CV=${CASEVAULT_BIN:-$BIN/casevault}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
cost() { # cost LABEL cmd...: median CPU, wall, peak RSS and minor page faults over RUNS runs
	local label=$1; shift
	local cpu=() wall=() rss=() flt=() i
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f '%U %S %e %M %R' -o "$BIN/t" "$@" >/dev/null 2>&1
		read -r u s e m r <"$BIN/t"
		cpu+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u + s) * 1000}')")
		wall+=("$(awk -v e="$e" 'BEGIN{printf "%d", e * 1000}')")
		rss+=("$((m / 1024))")
		flt+=("$r")
	done
	printf '%-48s CPU %4d ms   wall %4d ms   peak RSS %3d MiB   faults %5d\n' "$label" "$(printf '%s\n' "${cpu[@]}" | median)" "$(printf '%s\n' "${wall[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)" "$(printf '%s\n' "${flt[@]}" | median)"
}
firstline() { # firstline LABEL cmd...: median ms to the first line of output
	local label=$1; shift
	local ts=() i t0 t
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		t=$("$@" 2>/dev/null | { IFS= read -r _; date +%s%N; cat >/dev/null; })
		ts+=($(((t - t0) / 1000000)))
	done
	printf '%-48s wall %4d ms to the first line\n' "$label" "$(printf '%s\n' "${ts[@]}" | median)"
}
cost "casevault --version (process only)" "$CV" --version
cost "casevault case search $NOHIT (no hit)" "$CV" --vault "$V" --identity "$KEY" case search "$NOHIT"
cost "casevault case search $ONE (one hit)" "$CV" --vault "$V" --identity "$KEY" case search "$ONE"
cost "casevault case search $WORD" "$CV" --vault "$V" --identity "$KEY" case search "$WORD"
cost "casevault case search $PREFIX" "$CV" --vault "$V" --identity "$KEY" case search "$PREFIX"
cost "casevault case search $TWO" "$CV" --vault "$V" --identity "$KEY" case search "$TWO"
cost "casevault case search $BROAD (all hits)" "$CV" --vault "$V" --identity "$KEY" case search "$BROAD"
cost "casevault case search $BROAD --limit 20" "$CV" --vault "$V" --identity "$KEY" case search "$BROAD" --limit 20
cost "casevault case search $BROAD --sort updated --limit 20" "$CV" --vault "$V" --identity "$KEY" case search "$BROAD" --sort updated --limit 20
cost "casevault case list --article 207.3 --region Moscow" "$CV" --vault "$V" --identity "$KEY" case list --article 207.3 --region Moscow
firstline "casevault case search $BROAD" "$CV" --vault "$V" --identity "$KEY" case search "$BROAD"
echo "hits: $WORD $("$CV" --vault "$V" --identity "$KEY" case search "$WORD" --json 2>/dev/null | grep -c '"id"'), $BROAD $("$CV" --vault "$V" --identity "$KEY" case search "$BROAD" --json 2>/dev/null | grep -c '"id"') (lines with an id in --json)"
echo "slowest package initialisations (clock ms, bytes, one run):"
GODEBUG=inittrace=1 "$CV" --version 2>&1 >/dev/null | awk '/^init /{print $5, $8, $2}' | sort -rn | head -8 | sed 's/^/  /'
GODEBUG=inittrace=1 "$CV" --version 2>&1 >/dev/null | awk '/^init /{s += $5; b += $8} END{printf "  all: %.0f ms, %.1f MB\n", s, b / 1e6}'
echo "store tables (what every open reads: TestStoreTableBreakdown):"
CASEVAULT_BENCH_VAULT=$V CASEVAULT_BENCH_IDENTITY=$KEY "$BIN/vault.test" -test.run '^TestStoreTableBreakdown$' -test.v | grep -oE '(L[0-9]|all): .*' | sed 's/^/  /'
echo "library (BenchmarkOpenSearch, $RUNS runs, query $WORD, --limit 20):"
CASEVAULT_BENCH_VAULT=$V CASEVAULT_BENCH_IDENTITY=$KEY CASEVAULT_BENCH_QUERY=$WORD \
	"$BIN/vault.test" -test.run '^$' -test.bench BenchmarkOpenSearch -test.benchtime "${RUNS}x" | grep Benchmark
