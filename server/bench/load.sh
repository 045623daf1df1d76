#!/usr/bin/env bash
# Bounded loopback load test of `idspam serve` with wrk: concurrency 1, 8 and 32 with micro-batching on
# and off, then a soak at concurrency 8 that samples the server's resident memory (VmRSS) every 5 s.
# Every server it starts is stopped by its process id when its phase ends, and on any exit.
# usage: server/bench/load.sh BUNDLE [SECONDS_PER_RUN (20)] [SOAK_SECONDS (120; 0: no soak)]   (from the repository root)
# SERVER_JAVA_OPTS (default -Xmx512m) sets the server JVM's options, e.g. a pre-touched fixed heap
# (-Xms512m -Xmx512m -XX:+AlwaysPreTouch) so that resident memory does not grow with the heap.
# MODES (default "on off") picks the server settings measured: on = micro-batching with its defaults,
# off = --no-batching, wait0 = micro-batching with --max-wait-ms 0.
set -euo pipefail
bundle="$1"; secs="${2:-20}"; soak="${3:-120}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port=18181
out="$(mktemp -d /tmp/idspam-load.XXXXXX)"
export SENTENCES="$out/sentences.txt" MODEL=sst2
awk -F"\t" 'NR > 1 && NR <= 501 {print $1}' "$root/data/SST-2/dev.tsv" > "$SENTENCES"
"$root/idspam" params --backbone minilm-l6 --method idspam > /dev/null   # builds the project once, before timing
cp="$root/tools/target/classes:$(cat "$root/tools/target/classpath-cpu.txt")"
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap stop EXIT
start() {   # start OPTIONS...: starts the server and waits until it is ready
  java ${SERVER_JAVA_OPTS:--Xmx512m} -cp "$cp" dev.idspam.tools.Main serve --model "sst2=$bundle" --port "$port" "$@" > "$out/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$out/server.log"; exit 1; }
    sleep 0.1
  done
  echo "server did not become ready"; exit 1
}
run() {   # run LABEL CONCURRENCY SECONDS
  local t=$(( $2 < 4 ? $2 : 4 ))
  wrk -t"$t" -c"$2" -d"$3s" --timeout 10s -s "$root/server/bench/predict.lua" "http://127.0.0.1:$port" \
    | sed -n "s/^RESULT /$1 concurrency=$2 /p"
}
for mode in ${MODES:-on off}; do
  case "$mode" in
    on) start ;;
    off) start --no-batching ;;
    wait0) start --max-wait-ms 0 ;;
    *) echo "unknown mode $mode"; exit 2 ;;
  esac
  run "warmup" 8 5 > /dev/null
  for c in 1 8 32; do run "batching=$mode" "$c" "$secs"; done
  curl -s "http://127.0.0.1:$port/metrics" | grep -E '^idspam_batch_size_(count|sum)' | sed "s/^/batching=$mode metrics /"
  stop
done
[ "$soak" -gt 0 ] || { rm -rf "$out"; exit 0; }
start
run "warmup" 8 5 > /dev/null
( for s in $(seq 0 5 "$soak"); do
    echo "soak rss t=${s}s $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
    sleep 5
  done ) &
sampler=$!
run "soak batching=on" 8 "$soak"
wait "$sampler"
stop
rm -rf "$out"
