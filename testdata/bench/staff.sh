#!/usr/bin/env bash
# staff.sh: `casevault staff rm` and `casevault recovery combine` on a vault
# of N cases (issue 18; target: each <= 30 s as a whole command).
#
#   testdata/bench/staff.sh            # 10,000 cases, seed 1
#   N=2000 testdata/bench/staff.sh
#
# It builds casevault (a release build: scrypt at 2^18) and age-keygen (from
# the module cache or the Go module proxy), generates N cases, imports them
# into a vault unlocked with a passphrase file, adds two staff members and
# times, as whole commands (passphrase unlock included):
#   - staff rm (a rekey of the whole store, new wraps for the rest);
#   - recovery combine in place (2 of 3 shares, trustees' identities, new
#     passphrase sealed with scrypt);
#   - recovery combine --backup on a "new machine" (the backup restored and
#     checked with the recovered identity, then sealed).
# Work files go to $WORKDIR (default a new temp dir, removed unless KEEP=1).
set -euo pipefail

N=${N:-10000}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORKDIR=${WORKDIR:-$(mktemp -d /tmp/casevault-staff.XXXXXX)}
BIN=$WORKDIR/bin
mkdir -p "$BIN"
export PATH=$BIN:$PATH
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORKDIR"' EXIT
say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
timed() { # timed LABEL CMD...: runs CMD, prints wall and CPU time, sets T
	local t0 t1 c0 c1
	c0=$(cpu); t0=$(now); "${@:2}" >/dev/null; t1=$(now); c1=$(cpu)
	T=$(echo "$t1 - $t0" | bc)
	C=$(echo "($c1 - $c0) / $(getconf CLK_TCK)" | bc -l | xargs printf '%.1f')
	say "$1: $T s wall, $C s CPU (<= 30 s wall: $(echo "$T <= 30" | bc | sed 's/1/ok/;s/0/MISSED/')); load $(cut -d' ' -f1 /proc/loadavg)"
}
# cpu: user+system clock ticks of this shell's finished children
cpu() { awk '{print $16 + $17}' /proc/$$/stat; }

go build -C "$ROOT" -o "$BIN/casevault" ./cmd/casevault
if ! command -v age-keygen >/dev/null; then
	(cd "$WORKDIR" && GOBIN=$BIN GOFLAGS=-mod=mod go install filippo.io/age/cmd/age-keygen@v1.3.2)
fi
cd "$WORKDIR"
say "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg)"
say "== generate and import $N cases"
(cd "$ROOT" && go run ./testdata/gen -n "$N" -seed "$SEED" -o "$WORKDIR/cases.jsonl")
printf 'correct horse battery staple\n' >pass
printf 'a brand new and long passphrase for the vault\n' >newpass
chmod 600 pass newpass
export CASEVAULT_PASSPHRASE_FILE=$WORKDIR/pass CASEVAULT_DIR=$WORKDIR/vault CASEVAULT_AUTHOR=bench
casevault init --org 'Bench Group' 2>/dev/null
# Generated people repeat: import merges them and exits non-zero for the
# records it did not take, which is fine here.
casevault import -f cases.jsonl --format jsonl >/dev/null 2>&1 || true
for n in anna boris clara; do
	age-keygen -o $n.key 2>/dev/null
	casevault --identity $n.key staff card --name $n -o $n.card 2>/dev/null
done
casevault staff add anna.card >/dev/null 2>&1
casevault staff add boris.card >/dev/null 2>&1
say "vault: $(casevault case list --json 2>/dev/null | grep -c '"id"') cases, $(du -sh vault | cut -f1)"

timed "staff rm ($N cases)" casevault staff rm anna --yes
casevault --identity boris.key case list --status sentenced >/dev/null # the remaining member still opens it

mkdir shares
casevault recovery split --threshold 2 --to anna.card --to boris.card --to clara.card -o shares >/dev/null 2>&1
casevault backup -o vault.cvbak 2>/dev/null
S1=$(ls shares/*-1-of-3-*) S2=$(ls shares/*-2-of-3-*)
export CASEVAULT_NEW_PASSPHRASE_FILE=$WORKDIR/newpass
timed "recovery combine in place ($N cases)" casevault recovery combine --vault "$WORKDIR/vault" --trustee anna.key --trustee boris.key "$S1" "$S2"
timed "recovery combine --backup, new machine ($N cases)" casevault recovery combine --vault "$WORKDIR/new" --backup vault.cvbak --trustee anna.key --trustee boris.key "$S1" "$S2"
CASEVAULT_PASSPHRASE_FILE=$WORKDIR/newpass casevault --vault "$WORKDIR/new" audit verify >/dev/null 2>&1 && say "recovered vault: audit chain verifies"
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
