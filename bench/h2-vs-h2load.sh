#!/usr/bin/env bash
# HTTP/2: Yardstick's handler transport (SocketsHttpHandler, HTTP/2) against h2load, on the sample target (issue 13:
# >= 0.7x h2load's req/s, or say what bounds it).
#
# Same connections x streams on both sides. The target serves HTTP/2 only (--http2-only: h2c with prior knowledge on
# http, h2 by ALPN on https) and allows STREAMS concurrent streams per connection (--http2-max-streams), so
# h2load -c CONNECTIONS -m STREAMS and our closed model with CONNECTIONS x STREAMS virtual users over a pool of at most
# CONNECTIONS connections (EnableMultipleHttp2Connections opens a new one only when a connection's streams are full)
# both hold CONNECTIONS connections of STREAMS streams each. The script checks that with ss during our run.
#
# Method as bench/loadgen-vs-wrk.sh: target pinned to SERVER_CORE, generators to CLIENT_CORE,
# DOTNET_TC_DelaySingleProcMultiplier=1, warm-ups not measured (h2load --warm-up-time, ours a warm-up shard), the two
# interleaved ROUNDS times; each round gives a paired ratio (ours / h2load, back to back); medians reported. CPU us
# per request is user+sys of the generator process over its requests (h2load: the whole process, warm-up included, over
# the requests of the whole run; ours: the measured window only).
#
# Output: one line per run, then a summary; the LAST line is `ratio=<ours/h2load req/s, ratio of medians>`.
# Knobs (environment): ROUNDS=3 DURATION=10 WARMUP=5 CONNECTIONS=4 STREAMS=16 PORT=5085 SCHEME=http (or https)
#                      TARGET_PATH=/api/hello SERVER_CORE=0 CLIENT_CORE=1
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-4}
STREAMS=${STREAMS:-16}
PORT=${PORT:-5085}
SCHEME=${SCHEME:-http}
TARGET_PATH=${TARGET_PATH:-/api/hello}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}

URL="${SCHEME}://127.0.0.1:${PORT}${TARGET_PATH}"
CONCURRENCY=$((CONNECTIONS * STREAMS))
TARGET_DLL=src/Yardstick.SampleTarget/bin/Release/net10.0/Yardstick.SampleTarget.dll
BENCH_DLL=bench/Yardstick.LoadBench/bin/Release/net10.0/Yardstick.LoadBench.dll

BENCH_NAME=h2-vs-h2load
# shellcheck source=bench/lib.sh
. bench/lib.sh
require_two_cores

case "$SCHEME" in http|https) ;; *) echo "h2-vs-h2load: SCHEME must be http or https" >&2; exit 2 ;; esac

for tool in h2load taskset ss dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "h2-vs-h2load: '$tool' is not installed (h2load: apt-get install nghttp2-client)" >&2; exit 2; }
done

require_free_port "$PORT" PORT

build_target_and_bench

use_work_dir

"${TARGET_ENV[@]}" taskset -c "$SERVER_CORE" dotnet "$TARGET_DLL" --urls "${SCHEME}://127.0.0.1:${PORT}" --http2-only --http2-max-streams "$STREAMS" \
  >"$WORK/target.log" 2>&1 &
SERVER_PID=$!

wait_listening "$PORT" "$SERVER_PID" "$WORK/target.log"

log "warming up the target"
taskset -c "$CLIENT_CORE" h2load -c"$CONNECTIONS" -m"$STREAMS" -D5 "$URL" >/dev/null

# h2load: prints "<req/s> <cpu us per request> <non-2xx + failed>".
run_h2load() {
  local out=$WORK/h2load.out times=$WORK/h2load.times
  { TIMEFORMAT='%U %S'; time taskset -c "$CLIENT_CORE" h2load -c"$CONNECTIONS" -m"$STREAMS" -D"$DURATION" --warm-up-time="$WARMUP" "$URL" >"$out"; } 2>"$times"
  local rps done_requests cpu bad
  rps=$(awk '/^finished in/ {print $4}' "$out")
  [ -n "$rps" ] || { cat "$out" "$times" >&2; fail "h2load failed"; }
  grep -q "Application protocol: h2" "$out" || grep -q "h2c" "$out" || { cat "$out" >&2; fail "h2load did not speak HTTP/2"; }
  # h2load counts requests of the measured window only; the process CPU covers the warm-up too, taken at the same rate.
  done_requests=$(awk '/^requests:/ {print $8}' "$out")
  bad=$(awk '/^requests:/ {f = $10} /^status codes:/ {print f + $5 + $7 + $9}' "$out")
  cpu=$(tail -n1 "$times" | awk -v rps="$rps" -v d="$DURATION" -v w="$WARMUP" '{printf "%.2f", ($1 + $2) * 1e6 / (rps * (d + w))}')
  echo "$rps $cpu $bad $done_requests"
}

# Ours: prints "<req/s> <cpu us per request> <bytes per request> <errors> <connections seen>".
run_ours() {
  local line extra=() conns_file=$WORK/conns
  if [ "$SCHEME" = https ]; then extra=(--insecure); fi
  : >"$conns_file"
  # Count our established connections to the target half-way through the measured window.
  ( sleep $((WARMUP + DURATION / 2)); ss -Htn state established "( dport = :${PORT} )" | wc -l >"$conns_file" ) &
  local counter=$!
  line=$(taskset -c "$CLIENT_CORE" dotnet "$BENCH_DLL" engine --url "$URL" --transport handler --http-version 2 \
    --connections "$CONNECTIONS" --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" "${extra[@]}") \
    || { kill "$counter" 2>/dev/null || true; log "$line"; fail "the Yardstick engine run failed"; }
  wait "$counter" 2>/dev/null || true
  log "$line"
  echo "$line" | awk -v conns="$(cat "$conns_file")" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["rps"], v["cpu_us_per_req"], v["alloc_bytes_per_req"], v["errors"], conns
  }'
}


declare -a h2_rps h2_cpu our_rps our_cpu our_alloc paired
for round in $(seq 1 "$ROUNDS"); do
  result=$(run_h2load); read -r rps cpu bad total <<<"$result"
  echo "round=${round} generator=h2load rps=${rps} cpu_us_per_req=${cpu} failed_or_non2xx=${bad} requests=${total}"
  h2_rps+=("$rps"); h2_cpu+=("$cpu")

  result=$(run_ours); read -r rps cpu alloc errors conns <<<"$result"
  echo "round=${round} generator=yardstick-handler rps=${rps} cpu_us_per_req=${cpu} alloc_bytes_per_req=${alloc} errors=${errors} connections=${conns}"
  if [ -n "$conns" ] && [ "$conns" != "$CONNECTIONS" ]; then log "warning: ${conns} connections seen, expected ${CONNECTIONS}"; fi
  our_rps+=("$rps"); our_cpu+=("$cpu"); our_alloc+=("$alloc")
  paired+=("$(ratio "$rps" "${h2_rps[-1]}")")
done

RATIO=$(ratio "$(median "${our_rps[@]}")" "$(median "${h2_rps[@]}")")
echo "summary http2 scheme=${SCHEME} connections=${CONNECTIONS} streams=${STREAMS} h2load_rps=$(median "${h2_rps[@]}") ours_rps=$(median "${our_rps[@]}") ratio=${RATIO}" \
  "paired_ratio_median=$(median "${paired[@]}") paired_ratios=$(IFS=,; echo "${paired[*]}")" \
  "h2load_cpu_us_per_req=$(median "${h2_cpu[@]}") ours_cpu_us_per_req=$(median "${our_cpu[@]}")" \
  "ours_alloc_bytes_per_req=$(median "${our_alloc[@]}") (medians of ${ROUNDS}; loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
echo "ratio=${RATIO}"
