#!/usr/bin/env bash
# filters.sh: structured filters and statistics (issue 14) as whole
# commands, side by side with the same questions asked of
# `casevault export | jq`.
#
#   testdata/bench/filters.sh              # 100,000 cases, seed 1
#   N=1000000 testdata/bench/filters.sh    # a coalition's scale
#
# It builds casevault, generates N synthetic cases (testdata/gen), imports
# them into a fresh vault unlocked with an age identity file and times, best
# and median of RUNS runs, vault opening included:
#   case list --article 207.3 --region Moscow        (target <= 300 ms)
#   stats                                            (target <= 1 s)
#   stats --status sentenced --article 207.3 --region Crimea --detained-since 2023-01-01
#   case list --has-mistreatment torture --detained-since 2023-01-01 --sort detained
# and the same answers through export | jq. Work files go to $WORKDIR
# (default a new temp dir, removed at the end unless KEEP=1); an existing
# vault there (KEEP=1 from an earlier run) is used as it is.
set -euo pipefail

N=${N:-100000}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/casevault-filters.XXXXXX)}
mkdir -p "$WORKDIR"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORKDIR"; }
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
ms() { printf '%.0f' "$(echo "$1 * 1000" | bc)"; }

# time a command line (run by bash -c) RUNS times; sets BEST and MEDIAN
timeit() {
	local ts=() t0 t1
	for _ in $(seq "$RUNS"); do
		t0=$(now); bash -c "$1" >/dev/null 2>&1; t1=$(now)
		ts+=("$(secs "$t0" "$t1")")
	done
	local sorted
	sorted=$(printf '%s\n' "${ts[@]}" | sort -g)
	BEST=$(head -1 <<<"$sorted")
	MEDIAN=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
}

say "== machine"
say "cpu: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(nproc) cores"
say "load: $(cut -d' ' -f1-3 /proc/loadavg)"

cd "$WORKDIR"
go build -C "$ROOT" -o "$WORKDIR/casevault" ./cmd/casevault
go build -C "$ROOT" -o "$WORKDIR/gen" ./testdata/gen
command -v jq >/dev/null || { say "jq is needed for the comparison"; exit 1; }
export CASEVAULT_PASSPHRASE_FILE=$WORKDIR/pass CASEVAULT_DIR=$WORKDIR/vault
CV="$WORKDIR/casevault --identity $WORKDIR/key.txt"
if ! command -v age-keygen >/dev/null; then
	GOBIN=$WORKDIR GOFLAGS=-mod=mod go install -C "$ROOT" filippo.io/age/cmd/age-keygen@v1.3.2
	export PATH=$WORKDIR:$PATH
fi
if [ ! -d vault ]; then
	./gen -n "$N" -seed "$SEED" -o cases.jsonl
	printf 'filters bench passphrase\n' >pass
	age-keygen -pq -o key.txt 2>/dev/null
	chmod 600 pass key.txt
	$CV init --org 'Bench Group' >/dev/null 2>&1
	t0=$(now)
	$CV import -f cases.jsonl --format jsonl 2>/dev/null
	say "import of $N cases: $(secs "$t0" "$(now)") s"
fi

run() { # run NAME CASEVAULT-ARGS -- JQ-PIPELINE
	local name=$1 args=$2 jqp=$3 hits jhits
	hits=$(bash -c "$CV $args" 2>/dev/null | wc -l)
	timeit "$CV $args"
	local best=$BEST med=$MEDIAN
	jhits=$(bash -c "$CV export 2>/dev/null | $jqp" | wc -l)
	timeit "$CV export 2>/dev/null | $jqp"
	say "$name: casevault best $(ms "$best") ms, median $(ms "$med") ms ($hits lines); export|jq best $(ms "$BEST") ms ($jhits lines); $(echo "scale=1; $BEST / $best" | bc)x"
}

say "== whole commands, $N cases, $RUNS runs"
run "case list --article 207.3 --region Moscow" \
	"case list --article 207.3 --region Moscow" \
	"jq -c 'select(any(.charges[]?; .article | test(\"^207[.]3([^0-9.]|\$)\")) and (.person.region // \"\" | test(\"\\\\bmoscow\\\\b\"; \"i\"))) | .person.name'"
run "stats (all cases)" \
	"stats" \
	"jq -r '.status, (.charges[]?.article | sub(\"[(].*\"; \"\")), .person.region, .detention[]?.facility, (.detention[0]?.from // \"\" | .[0:4]), .mistreatment[]?.kind[]?, .detention[]?.conditions[]?' | sort | uniq -c"
run "stats --status sentenced --article 207.3 --region Crimea --detained-since 2023-01-01" \
	"stats --status sentenced --article 207.3 --region Crimea --detained-since 2023-01-01" \
	"jq -r 'select(.status == \"sentenced\" and any(.charges[]?; .article | test(\"^207[.]3([^0-9.]|\$)\")) and (.person.region // \"\" | test(\"\\\\bcrimea\\\\b\"; \"i\")) and ([.detention[]?.from] | min // \"\") >= \"2023-01-01\") | .status' | sort | uniq -c"
run "case list --has-mistreatment torture --detained-since 2023-01-01 --sort detained" \
	"case list --has-mistreatment torture --detained-since 2023-01-01 --sort detained" \
	"jq -c 'select(any(.mistreatment[]?; .kind | index(\"torture\")) and ([.detention[]?.from] | min // \"\") >= \"2023-01-01\") | .person.name'"
