#!/usr/bin/env bash
# import_equal.sh OLD NEW CASES [WORKDIR]: imports CASES (JSON lines) with two
# casevault binaries into two fresh vaults (one age key, identity from the
# key file) and compares what a user sees: the import reports, `case search
# --json` of a set of queries (case IDs and times dropped, hits sorted),
# `case list`, `stats --json` and `check`. Prints "equal" or the first
# differences; exits 1 if any. Needs jq and age-keygen (or python3 and an
# existing key in WORKDIR/key.txt).
#
#   testdata/bench/import_equal.sh /tmp/cv-main /tmp/cv-branch /tmp/c20k.jsonl /tmp/ieq
set -u
OLD=$1 NEW=$2 CASES=$(realpath "$3") W=${4:-$(mktemp -d)}
mkdir -p "$W"
cd "$W" || exit 2
if [ ! -f key.txt ]; then
	age-keygen -o key.txt 2>/dev/null || { echo "need age-keygen or $W/key.txt"; exit 2; }
fi
printf 'import equal passphrase\n' >pass
chmod 600 pass key.txt
norm='if type == "array" then map(del(.id?, .updated?)) | sort_by(tostring) else . end'
queries=(omsk kuznetsova 'ворон*' 'вороб*' yablonskaya 'colony omsk' 207.3 '"special-regime colony"' historian zaitseva 'зайцев' 'sizo-6' lawyer)
for side in old new; do
	bin=$OLD
	[ "$side" = new ] && bin=$NEW
	rm -rf "$side"
	mkdir "$side"
	CASEVAULT_PASSPHRASE_FILE=$W/pass "$bin" --vault "$side/vault" --identity key.txt init --org "Import Equal" >/dev/null 2>&1 || { echo "init failed ($side)"; exit 2; }
	cv() { "$bin" --vault "$side/vault" --identity key.txt "$@"; }
	cv import -f "$CASES" --format jsonl 2>&1 | sed 's/[0-9.]* s\b//' >"$side/import.txt"
	for q in "${queries[@]}"; do
		cv case search "$q" --json 2>&1 | jq -S "$norm" >>"$side/search.txt"
	done
	cv case list --json 2>&1 | jq -S "$norm" >"$side/list.txt"
	cv stats --json >"$side/stats.txt" 2>&1
	cv check >"$side/check.txt" 2>&1
	echo "check exit $?" >>"$side/check.txt"
done
rc=0
for f in import search list stats check; do
	if ! cmp -s "old/$f.txt" "new/$f.txt"; then
		echo "differ: $f"
		diff "old/$f.txt" "new/$f.txt" | head -20
		rc=1
	fi
done
[ $rc = 0 ] && echo "equal: import report, ${#queries[@]} searches ($(grep -c '"name"' new/search.txt) hits), list, stats, check"
exit $rc
