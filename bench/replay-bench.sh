#!/usr/bin/env bash
# Production replay on loopback: a generated 100k-arrival trace at 5,000/s (Poisson offsets by default) replayed by
# the load engine (one shard, the trace file streamed through its prefetching feed) against the sample target.
#
# Method (as bench/loadgen-vs-wrk.sh): the target is pinned to core 0, the generator to core 1, with
# DOTNET_TC_DelaySingleProcMultiplier=1 (single-core processes otherwise delay tier-1 JIT about tenfold); the first
# WARMUP seconds of the trace are replayed once before the measured replay of the whole trace. ROUNDS runs.
#
# Output: one key=value line per round (sent ÷ recorded, achieved ÷ intended rate, scheduling lag p50/p99/max, latency,
# CPU µs per request), then the load average the machine had (it is shared: say so with the figures).
# DATA_ROWS=n also writes an n-row dataset: every trace line then has a ${data.id} hole and user=REDACTED, filled from
# one row per arrival on the feed's prefetch thread (replay with a dataset).
# Knobs (environment): ROUNDS=3 ARRIVALS=100000 RATE=5000 OFFSETS=poisson WARMUP=3 CONNECTIONS=64 HTTP_PORT=5081
#                      SERVER_CORE=0 CLIENT_CORE=1 TRANSPORT=lean DATA_ROWS=0
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${ROUNDS:-3}
ARRIVALS=${ARRIVALS:-100000}
RATE=${RATE:-5000}
OFFSETS=${OFFSETS:-poisson}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-64}
HTTP_PORT=${HTTP_PORT:-5081}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
TRANSPORT=${TRANSPORT:-lean}
DATA_ROWS=${DATA_ROWS:-0}

URL="http://127.0.0.1:${HTTP_PORT}/api/hello"
TARGET_DLL=src/Yardstick.SampleTarget/bin/Release/net10.0/Yardstick.SampleTarget.dll
BENCH_DLL=bench/Yardstick.LoadBench/bin/Release/net10.0/Yardstick.LoadBench.dll

BENCH_NAME=replay-bench
# shellcheck source=bench/lib.sh
. bench/lib.sh
require_two_cores
require_free_port "$HTTP_PORT" HTTP_PORT
[[ "$DATA_ROWS" =~ ^[0-9]+$ ]] || usage_error "DATA_ROWS must be a whole number of rows (0: no dataset)"

build_target_and_bench

"${TARGET_ENV[@]}" taskset -c "$SERVER_CORE" dotnet "$TARGET_DLL" --urls "http://127.0.0.1:${HTTP_PORT}" >/dev/null &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT

wait_listening "$HTTP_PORT" "$SERVER_PID"

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  log "round ${round}/${ROUNDS}: ${ARRIVALS} arrivals at ${RATE}/s (${OFFSETS}), dataset rows ${DATA_ROWS}"
  data=()
  if [ "$DATA_ROWS" -gt 0 ]; then data=(--data-rows "$DATA_ROWS"); fi
  taskset -c "$CLIENT_CORE" dotnet "$BENCH_DLL" replay --url "$URL" --arrivals "$ARRIVALS" --rate "$RATE" --offsets "$OFFSETS" \
    --warmup "$WARMUP" --connections "$CONNECTIONS" --transport "$TRANSPORT" --max-in-flight 1000 "${data[@]}"
done
echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
