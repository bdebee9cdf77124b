#!/usr/bin/env bash
# startup.sh: where the time of a whole short command goes (issue 14):
# the process itself (start and package initialisation, measured with
# `casevault --version`), against opening the vault, searching and closing
# in the library (BenchmarkOpenSearch on the same vault).
#
#   testdata/bench/startup.sh VAULT KEYFILE [WORD]
#   RUNS=20 testdata/bench/startup.sh /tmp/sb/vault /tmp/sb/key.txt Yablonskaya
#
# VAULT and KEYFILE: a vault unlocked by an age identity file, e.g. the one
# search.sh keeps with KEEP=1 WORKDIR=DIR (DIR/vault, DIR/key.txt).
# It prints, each the median of RUNS runs: CPU time (user+sys) and wall
# time of `casevault --version` and of `casevault case search WORD`; the
# package initialisations that take longest (GODEBUG=inittrace=1, clock
# time of one run); and the library's open, search and close times.
set -uo pipefail
V=${1:?vault directory}
KEY=${2:?identity file}
WORD=${3:-Yablonskaya}
RUNS=${RUNS:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(mktemp -d /tmp/casevault-startup.XXXXXX)
trap 'rm -rf "$BIN"' EXIT
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault && go test -c -o "$BIN/vault.test" ./vault) || exit 1
CV=$BIN/casevault
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
cost() { # cost LABEL cmd...: median CPU and wall ms over RUNS runs
	local label=$1; shift
	local cpu=() wall=() i
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f '%U %S %e' -o "$BIN/t" "$@" >/dev/null 2>&1
		read -r u s e <"$BIN/t"
		cpu+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%d", (u + s) * 1000}')")
		wall+=("$(awk -v e="$e" 'BEGIN{printf "%d", e * 1000}')")
	done
	printf '%-40s CPU %4d ms   wall %4d ms\n' "$label" "$(printf '%s\n' "${cpu[@]}" | median)" "$(printf '%s\n' "${wall[@]}" | median)"
}
cost "casevault --version (process only)" "$CV" --version
cost "casevault case search $WORD" "$CV" --vault "$V" --identity "$KEY" case search "$WORD"
echo "slowest package initialisations (clock ms, one run):"
GODEBUG=inittrace=1 "$CV" --version 2>&1 >/dev/null | awk '/^init /{print $5, $2}' | sort -rn | head -8 | sed 's/^/  /'
GODEBUG=inittrace=1 "$CV" --version 2>&1 >/dev/null | awk '/^init /{s += $5} END{printf "  all: %.0f ms\n", s}'
echo "library (BenchmarkOpenSearch, $RUNS runs, query $WORD, --limit 20):"
CASEVAULT_BENCH_VAULT=$V CASEVAULT_BENCH_IDENTITY=$KEY CASEVAULT_BENCH_QUERY=$WORD \
	"$BIN/vault.test" -test.run '^$' -test.bench BenchmarkOpenSearch -test.benchtime "${RUNS}x" | grep Benchmark
