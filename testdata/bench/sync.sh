#!/usr/bin/env bash
# Benchmark of sync through object storage (issue 18's targets), against a
# real SeaweedFS server started here on 127.0.0.1 ('weed' on PATH or
# $CASEVAULT_TEST_WEED; .ci/setup builds it).
#
#   first sync of N (default 10,000) cases          target <= 30 s
#   a sync with one changed case (whole command)    target <= 1 s
#   the other copy's first sync (download, apply)   reported
#   evidence offload of SIZE_MB (default 1024) MiB  target <= 1.5 x uploading the same
#       file age-encrypted with minio-go (testdata/bench/s3put), peak RssAnon <= 64 MiB
#   evidence get of the offloaded item              reported, with its memory
#
# Usage: testdata/bench/sync.sh                    (from the repository root)
#        N=2000 SIZE_MB=256 testdata/bench/sync.sh
set -euo pipefail

N=${N:-10000}
SIZE_MB=${SIZE_MB:-1024}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WEED_PID=
if [[ -z "${WORK:-}" ]]; then
	WORK=$(mktemp -d)
	trap 'kill "$WEED_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
else
	trap 'kill "$WEED_PID" 2>/dev/null || true' EXIT
fi
mkdir -p "$WORK"
BIN=$WORK/bin
mkdir -p "$BIN"
WEED=${CASEVAULT_TEST_WEED:-$(command -v weed || true)}
[[ -x "$WEED" ]] || { echo "no weed binary: run .ci/setup or set CASEVAULT_TEST_WEED" >&2; exit 1; }

echo "== building casevault, age, s3put" >&2
(cd "$ROOT" && go build -o "$BIN/casevault" ./cmd/casevault && go build -o "$BIN/s3put" ./testdata/bench/s3put &&
	go build -o "$BIN/gen" ./testdata/gen)
build_age() {
	local pkg=$1 out=$2 m ver
	if (cd "$ROOT" && go build -o "$out" "$pkg") 2>/dev/null; then return; fi
	m=$(mktemp -d)
	ver=$(cd "$ROOT" && go list -m -f '{{.Version}}' filippo.io/age)
	printf 'module agebuild\n\ngo 1.26\n\nrequire filippo.io/age %s\n' "$ver" >"$m/go.mod"
	(cd "$m" && { GOFLAGS=-mod=mod GOPROXY=off go build -o "$out" "$pkg" 2>/dev/null || GOFLAGS=-mod=mod go build -o "$out" "$pkg"; })
	rm -rf "$m"
}
build_age filippo.io/age/cmd/age "$BIN/age"
build_age filippo.io/age/cmd/age-keygen "$BIN/age-keygen"

# Free ports (and +10000 for weed's gRPC).
port() { python3 -c 'import socket
while True:
    s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]
    if p+10000<65536:
        t=socket.socket()
        try: t.bind(("127.0.0.1",p+10000)); t.close(); s.close(); print(p); break
        except OSError: pass
    s.close()'; }
S3=$(port) M=$(port) VOL=$(port) F=$(port)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-0123456789
printf '{"identities":[{"name":"b","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List"]}]}' \
	"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >"$WORK/s3.json"
mkdir -p "$WORK/weed"
"$WEED" server -dir="$WORK/weed" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3 -s3.port="$S3" -s3.config="$WORK/s3.json" \
	-master.port="$M" -volume.port="$VOL" -filer.port="$F" -master.volumeSizeLimitMB=1024 -volume.max=64 \
	>"$WORK/weed.log" 2>&1 &
WEED_PID=$!
ENDPOINT=http://127.0.0.1:$S3
for _ in $(seq 1 300); do
	if "$BIN/s3put" "$ENDPOINT" probe probe /dev/null >/dev/null 2>&1; then break; fi
	sleep 0.5
done

measure() { # NAME CMD...: sets SECS, CPUS (user+sys, sampled every 0.02 s) and ANON (peak RssAnon, KiB)
	local name=$1 start end pid a k v st ticks
	shift
	ANON=0 ticks=0
	start=$(date +%s%N)
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		a=0
		while read -r k v _; do [[ $k == RssAnon: ]] && a=$v; done 2>/dev/null <"/proc/$pid/status" || true
		((a > ANON)) && ANON=$a
		read -r -a st 2>/dev/null <"/proc/$pid/stat" && ticks=$((st[13] + st[14])) || true
		sleep 0.02
	done
	wait "$pid"
	end=$(date +%s%N)
	SECS=$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.3f", (e-s)/1e9}')
	CPUS=$(awk -v c="$ticks" -v t="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", c/t}')
	printf '%-34s %8.3f s  CPU %7.2f s  RssAnon %6.1f MiB  load %s\n' "$name" "$SECS" "$CPUS" "$(awk -v k="$ANON" 'BEGIN{print k/1024}')" "$(cut -d' ' -f1 /proc/loadavg)" >&2
}

echo "== $N cases, ${SIZE_MB} MiB offload, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$BIN/age-keygen" -o "$WORK/identity.txt" 2>/dev/null
RECIPIENT=$("$BIN/age-keygen" -y "$WORK/identity.txt")
printf 'bench passphrase\n' >"$WORK/pass"
chmod 600 "$WORK/pass"
export CASEVAULT_IDENTITY=$WORK/identity.txt CASEVAULT_AUTHOR=bench NO_COLOR=1
A=$WORK/laptop-a B=$WORK/laptop-b
CASEVAULT_PASSPHRASE_FILE=$WORK/pass "$BIN/casevault" --vault "$A" init --org Bench --identity "$WORK/identity.txt" >/dev/null 2>&1
"$BIN/gen" -n "$N" -seed 1 >"$WORK/cases.jsonl"
# Exit 6: the generator makes a few rows that look like another person's
# case (refused, named on stderr); the rest is imported.
"$BIN/casevault" --vault "$A" import -f "$WORK/cases.jsonl" >/dev/null 2>&1 || [[ $? -eq 6 ]]
N=$("$BIN/casevault" --vault "$A" case list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$BIN/casevault" --vault "$A" backup -o "$WORK/a.cvbak" >/dev/null 2>&1
"$BIN/casevault" restore "$WORK/a.cvbak" --vault "$B" >/dev/null 2>&1
for v in "$A" "$B"; do "$BIN/casevault" --vault "$v" remote add org s3://bench/team --endpoint "$ENDPOINT" >/dev/null; done

measure "first sync, $N cases (upload)" "$BIN/casevault" --vault "$A" sync
FIRST=$SECS
measure "other copy's first sync (apply)" "$BIN/casevault" --vault "$B" sync
PULL=$SECS
ID=$("$BIN/casevault" --vault "$A" case list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$BIN/casevault" --vault "$A" case show "$ID" >"$WORK/one.yaml"
sed -i 's/^status: .*/status: released/' "$WORK/one.yaml"
"$BIN/casevault" --vault "$A" case update "$ID" -f "$WORK/one.yaml" --force >/dev/null 2>&1 || true
measure "sync, one changed case (upload)" "$BIN/casevault" --vault "$A" sync
ONE=$SECS
measure "sync, one changed case (apply)" "$BIN/casevault" --vault "$B" sync
ONEB=$SECS

echo "== offload of ${SIZE_MB} MiB" >&2
SRC=$WORK/evidence.bin
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$SRC"
EVID=$("$BIN/casevault" --vault "$A" evidence add "$ID" "$SRC" | cut -d' ' -f1)
"$BIN/age" -r "$RECIPIENT" -o "$WORK/evidence.age" "$SRC"
sync
measure "minio-go upload of the age file" "$BIN/s3put" "$ENDPOINT" baseline evidence.age "$WORK/evidence.age"
BASE=$SECS BASE_CPU=$CPUS BASE_ANON=$ANON
sync
measure "casevault evidence offload" "$BIN/casevault" --vault "$A" evidence offload "$EVID"
OFF=$SECS OFF_CPU=$CPUS OFF_ANON=$ANON
measure "casevault evidence get (remote)" "$BIN/casevault" --vault "$A" evidence get "$EVID" -o "$WORK/back.bin"
GET=$SECS GET_CPU=$CPUS GET_ANON=$ANON
cmp "$SRC" "$WORK/back.bin"

RATIO=$(awk -v a="$OFF" -v b="$BASE" 'BEGIN{printf "%.2f", a/b}')
cat <<OUT
first sync of $N cases:        ${FIRST} s (target <= 30 s)
other copy applying them:      ${PULL} s
sync with one changed case:    ${ONE} s upload side, ${ONEB} s apply side (target <= 1 s)
offload ${SIZE_MB} MiB:            ${OFF} s (CPU ${OFF_CPU} s) vs minio-go upload of the age file ${BASE} s (CPU ${BASE_CPU} s): ratio ${RATIO} (target <= 1.5)
peak RssAnon:                  offload $(awk -v k="$OFF_ANON" 'BEGIN{printf "%.1f", k/1024}') MiB (target <= 64 MiB), minio-go upload $(awk -v k="$BASE_ANON" 'BEGIN{printf "%.1f", k/1024}') MiB
evidence get:                  ${GET} s (CPU ${GET_CPU} s), peak RssAnon $(awk -v k="$GET_ANON" 'BEGIN{printf "%.1f", k/1024}') MiB
load average at the end:       $(cut -d' ' -f1-3 /proc/loadavg)
OUT
