#!/usr/bin/env bash
# A weighted request mix with a dataset and a status check: Yardstick's load generator against wrk running
# bench/mix.lua, on the sample target (issue 11's budget: >= 0.85x wrk's req/s, <= 64 B allocated per request).
#
# Both send the same three requests with weights 6/3/1 (GET /api/echo/users/{id}, GET /api/items?count=&city=, POST
# /api/echo/users/{id} with a JSON body), filled from bench/data/mix-users.csv in file order, and check every status.
# Ours runs bench/mix.yaml through the real workload loader, planner, dataset reader and request compiler
# (Yardstick.LoadBench engine --workload), closed model, one virtual user per connection.
#
# Method as bench/loadgen-vs-wrk.sh: target pinned to SERVER_CORE, generators to CLIENT_CORE,
# DOTNET_TC_DelaySingleProcMultiplier=1, our warm-up before measuring, wrk and ours interleaved ROUNDS times; each
# round gives a paired ratio (ours / wrk, back to back, so slow drift cancels); medians reported. CPU us per request
# is user+sys time of the generator process over its requests (wrk: the whole process, Lua included; ours: the
# measured window only).
#
# Output: one line per run, then a summary; the LAST line is `ratio=<ours/wrk req/s, ratio of medians>`.
# Knobs (environment): ROUNDS=3 DURATION=10 WARMUP=5 CONNECTIONS=50 HTTP_PORT=5080 SERVER_CORE=0 CLIENT_CORE=1
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-50}
HTTP_PORT=${HTTP_PORT:-5080}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}

ORIGIN="http://127.0.0.1:${HTTP_PORT}"
DATASET=bench/data/mix-users.csv
TARGET_DLL=src/Yardstick.SampleTarget/bin/Release/net10.0/Yardstick.SampleTarget.dll
BENCH_DLL=bench/Yardstick.LoadBench/bin/Release/net10.0/Yardstick.LoadBench.dll

BENCH_NAME=mix-vs-wrk
# shellcheck source=bench/lib.sh
. bench/lib.sh
require_two_cores

for tool in wrk taskset dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "mix-vs-wrk: '$tool' is not installed (wrk: apt-get install wrk)" >&2; exit 2; }
done

require_free_port "$HTTP_PORT" HTTP_PORT

build_target_and_bench

use_work_dir

"${TARGET_ENV[@]}" taskset -c "$SERVER_CORE" dotnet "$TARGET_DLL" --urls "$ORIGIN" >"$WORK/target.log" 2>&1 &
SERVER_PID=$!

wait_listening "$HTTP_PORT" "$SERVER_PID" "$WORK/target.log"

# Warm the target (its JIT too) with the mix before anything is measured.
log "warming up the target"
taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d5s -s bench/mix.lua "$ORIGIN" -- "$DATASET" >/dev/null

# wrk: prints "<req/s> <cpu us per request> <non-2xx>".
run_wrk() {
  local out=$WORK/wrk.out times=$WORK/wrk.times
  { TIMEFORMAT='%U %S'; time taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/mix.lua "$ORIGIN" -- "$DATASET" >"$out"; } 2>"$times"
  if [ -z "$(awk '/^Requests\/sec:/' "$out")" ]; then cat "$out" "$times" >&2; fail "wrk failed"; fi
  local rps requests cpu failed
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  requests=$(awk '/requests in/ {print $1}' "$out")
  failed=$(awk '/^Check failures:/ {print $3}' "$out")
  cpu=$(tail -n1 "$times" | awk -v n="$requests" '{printf "%.2f", ($1 + $2) * 1e6 / n}')
  if grep -q "Socket errors" "$out"; then log "wrk $(grep 'Socket errors' "$out")"; fi
  echo "$rps $cpu ${failed:-?}"
}

# Ours: prints "<req/s> <cpu us per request> <bytes per request> <check failures> <mix>".
run_ours() {
  local line
  line=$(taskset -c "$CLIENT_CORE" dotnet "$BENCH_DLL" engine --workload bench/mix.yaml --set "target.url=${ORIGIN}/api/hello" \
    --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP") || { log "$line"; fail "the Yardstick engine run failed"; }
  log "$line"
  echo "$line" | awk '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["rps"], v["cpu_us_per_req"], v["alloc_bytes_per_req"], v["check_failures"], v["mix"]
  }'
}


declare -a wrk_rps wrk_cpu our_rps our_cpu our_alloc paired
for round in $(seq 1 "$ROUNDS"); do
  result=$(run_wrk); read -r rps cpu failed <<<"$result"
  echo "round=${round} generator=wrk+lua rps=${rps} cpu_us_per_req=${cpu} check_failures=${failed}"
  wrk_rps+=("$rps"); wrk_cpu+=("$cpu")

  result=$(run_ours); read -r rps cpu alloc failed mix <<<"$result"
  echo "round=${round} generator=yardstick rps=${rps} cpu_us_per_req=${cpu} alloc_bytes_per_req=${alloc} check_failures=${failed} mix=${mix}"
  our_rps+=("$rps"); our_cpu+=("$cpu"); our_alloc+=("$alloc")
  paired+=("$(ratio "$rps" "${wrk_rps[-1]}")")
done

RATIO=$(ratio "$(median "${our_rps[@]}")" "$(median "${wrk_rps[@]}")")
echo "summary mix wrk_rps=$(median "${wrk_rps[@]}") ours_rps=$(median "${our_rps[@]}") ratio=${RATIO}" \
  "paired_ratio_median=$(median "${paired[@]}") paired_ratios=$(IFS=,; echo "${paired[*]}")" \
  "wrk_cpu_us_per_req=$(median "${wrk_cpu[@]}") ours_cpu_us_per_req=$(median "${our_cpu[@]}")" \
  "ours_alloc_bytes_per_req=$(median "${our_alloc[@]}") (medians of ${ROUNDS}; loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
echo "ratio=${RATIO}"
