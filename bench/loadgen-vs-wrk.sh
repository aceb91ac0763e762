#!/usr/bin/env bash
# Yardstick's load generator against wrk, on the sample target.
#
# Method (see docs in issue 6 and ARCHITECTURE.md): the target is pinned to core 0, each generator to core 1;
# pinned to one core, .NET delays tier-1 JIT about tenfold, so DOTNET_TC_DelaySingleProcMultiplier=1 is set and
# our generator warms up before measuring. wrk and ours run interleaved ROUNDS times, plain HTTP and TLS; each
# round gives a paired ratio (ours / wrk, run back to back, so slow drift on a shared VM cancels) and the summary
# reports the median paired ratio next to the ratio of medians. Above ~0.85x wrk every generator is server-bound,
# so CPU us per request is the sharper measure of the generator itself.
#
# Output: one line per run, then a summary; the LAST line is `ratio=<ours/wrk req/s, plain HTTP>`.
# Knobs (environment): ROUNDS=3 DURATION=10 WARMUP=5 CONNECTIONS=50 HTTP_PORT=5080 HTTPS_PORT=5443
#                      SERVER_CORE=0 CLIENT_CORE=1 TRANSPORT=lean OPEN_RATES="5000 20000" OPEN_SCHEMES="http https"
#                      OPEN_SLACKS="0s" (load.timerSlack: e.g. "0s 0.4ms" runs ours twice a round, each on a fresh target)
# The open model runs on the paced epoll loop (plain HTTP, and https on the OpenSSL engine, on Linux);
# between arrivals due within 1 ms it sleeps quietly (responses are read at the next wake-up, their end stamped by the
# kernel); YARDSTICK_OPEN_LOOP=prompt lets every response wake it instead (for comparisons);
# YARDSTICK_OPEN_LOOP=threads in the environment measures the pacer-thread-and-workers path instead, and
# YARDSTICK_TLS=sslstream the SslStream engine (whose https open model runs on the workers). The closed model runs on
# its own epoll loop (HTTP/1.1 on the lean transport, Linux); YARDSTICK_CLOSED_LOOP=tasks measures the task-per-user path.
# WRK2=/path/to/wrk2 (default: `wrk2` on PATH): each open-model round also runs wrk2 -R at the same rate, connections
# and length (warm-up + measured) on its own fresh target, as the reference; wrk2 is not packaged by Debian (build it
# from github.com/giltene/wrk2 with `make`). Without it the open-model rows have no reference.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-50}
HTTP_PORT=${HTTP_PORT:-5080}
HTTPS_PORT=${HTTPS_PORT:-5443}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
TRANSPORT=${TRANSPORT:-lean}
OPEN_RATES=${OPEN_RATES:-"5000 20000"}
OPEN_SCHEMES=${OPEN_SCHEMES-"http https"}  # set but empty: no open-model runs
OPEN_SLACKS=${OPEN_SLACKS:-0s}              # load.timerSlack values; each open-model round runs ours once per value
WRK2=${WRK2:-$(command -v wrk2 || true)}
TARGET_PATH=/api/hello

PLAIN_URL="http://127.0.0.1:${HTTP_PORT}${TARGET_PATH}"
TLS_URL="https://127.0.0.1:${HTTPS_PORT}${TARGET_PATH}"
TARGET_DLL=src/Yardstick.SampleTarget/bin/Release/net10.0/Yardstick.SampleTarget.dll
BENCH_DLL=bench/Yardstick.LoadBench/bin/Release/net10.0/Yardstick.LoadBench.dll

BENCH_NAME=loadgen-vs-wrk
# shellcheck source=bench/lib.sh
. bench/lib.sh
require_two_cores

if ! command -v wrk >/dev/null 2>&1; then
  log "wrk not found: installing it from Debian's packages"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update && $SUDO apt-get install -y wrk
fi

for port in "$HTTP_PORT" "$HTTPS_PORT"; do
  require_free_port "$port" HTTP_PORT/HTTPS_PORT
done

build_target_and_bench

start_target() {
  "${TARGET_ENV[@]}" taskset -c "$SERVER_CORE" dotnet "$TARGET_DLL" --urls "http://127.0.0.1:${HTTP_PORT};https://127.0.0.1:${HTTPS_PORT}" >/dev/null &
  SERVER_PID=$!
  wait_listening "$HTTP_PORT" "$SERVER_PID"
  wait_listening "$HTTPS_PORT" "$SERVER_PID"
}

stop_target() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }

trap 'stop_target' EXIT
start_target

# Warm the target (its JIT too) before anything is measured.
# A new target process serves the open model's 20,000/s of 5-ms requests at ~10-18 ms p50 (arrivals dropped) until
# a closed-model burst has warmed it; after 5 s of wrk on each scheme, ~7.5 ms (2026-12-07, paired by hand).
warm_target() {
  log "warming up the target"
  taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d5s "$PLAIN_URL" >/dev/null
  taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d5s "$TLS_URL" >/dev/null
}

warm_target

# A fresh, warmed target for every open-model run (ours and wrk2's): at 20,000/s the one-core target is ~70 % busy, and
# one that had just served the closed rounds (or the run before) answered 5-ms requests in 10-50 ms, so arrivals waited
# for a free connection and the lag measured the target.
fresh_target() { stop_target; start_target; warm_target; }

# wrk: prints "<req/s> <cpu us per request>" (CPU from the shell's user+sys time of the wrk process).
run_wrk() {
  local url=$1 out times
  out=$(mktemp)
  times=$(mktemp)
  { TIMEFORMAT='%U %S'; time taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url" >"$out"; } 2>"$times"
  local rps requests cpu
  if [ -z "$(awk '/^Requests\/sec:/' "$out")" ]; then cat "$out" "$times" >&2; echo "loadgen-vs-wrk: wrk failed" >&2; exit 1; fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  requests=$(awk '/requests in/ {print $1}' "$out")
  cpu=$(tail -n1 "$times" | awk -v n="$requests" '{printf "%.2f", ($1 + $2) * 1e6 / n}')
  if grep -q "Socket errors" "$out"; then log "wrk $(grep 'Socket errors' "$out")"; fi
  rm -f "$out" "$times"
  echo "$rps $cpu"
}

# Ours: prints "<req/s> <cpu us per request> <bytes per request>".
run_ours() {
  local url=$1; shift
  local line
  line=$(taskset -c "$CLIENT_CORE" dotnet "$BENCH_DLL" engine --model closed --url "$url" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --transport "$TRANSPORT" "$@")
  log "$line"
  echo "$line" | awk '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["rps"], v["cpu_us_per_req"], v["alloc_bytes_per_req"]
  }'
}


declare -a wrk_plain_rps wrk_plain_cpu wrk_tls_rps wrk_tls_cpu
declare -a our_plain_rps our_plain_cpu our_plain_alloc our_tls_rps our_tls_cpu our_tls_alloc
declare -a paired_plain paired_tls


for round in $(seq 1 "$ROUNDS"); do
  result=$(run_wrk "$PLAIN_URL"); read -r rps cpu <<<"$result"
  echo "round=${round} scheme=http generator=wrk rps=${rps} cpu_us_per_req=${cpu}"
  wrk_plain_rps+=("$rps"); wrk_plain_cpu+=("$cpu")

  result=$(run_ours "$PLAIN_URL"); read -r rps cpu alloc <<<"$result"
  echo "round=${round} scheme=http generator=yardstick-${TRANSPORT} rps=${rps} cpu_us_per_req=${cpu} alloc_bytes_per_req=${alloc}"
  our_plain_rps+=("$rps"); our_plain_cpu+=("$cpu"); our_plain_alloc+=("$alloc")
  paired_plain+=("$(ratio "$rps" "${wrk_plain_rps[-1]}")")

  result=$(run_wrk "$TLS_URL"); read -r rps cpu <<<"$result"
  echo "round=${round} scheme=https generator=wrk rps=${rps} cpu_us_per_req=${cpu}"
  wrk_tls_rps+=("$rps"); wrk_tls_cpu+=("$cpu")

  result=$(run_ours "$TLS_URL" --insecure); read -r rps cpu alloc <<<"$result"
  echo "round=${round} scheme=https generator=yardstick-${TRANSPORT} rps=${rps} cpu_us_per_req=${cpu} alloc_bytes_per_req=${alloc}"
  our_tls_rps+=("$rps"); our_tls_cpu+=("$cpu"); our_tls_alloc+=("$alloc")
  paired_tls+=("$(ratio "$rps" "${wrk_tls_rps[-1]}")")
done

PLAIN_RATIO=$(ratio "$(median "${our_plain_rps[@]}")" "$(median "${wrk_plain_rps[@]}")")
TLS_RATIO=$(ratio "$(median "${our_tls_rps[@]}")" "$(median "${wrk_tls_rps[@]}")")

echo "summary scheme=http  wrk_rps=$(median "${wrk_plain_rps[@]}") ours_rps=$(median "${our_plain_rps[@]}") ratio=${PLAIN_RATIO}" \
  "paired_ratio_median=$(median "${paired_plain[@]}") paired_ratios=$(IFS=,; echo "${paired_plain[*]}")" \
  "wrk_cpu_us_per_req=$(median "${wrk_plain_cpu[@]}") ours_cpu_us_per_req=$(median "${our_plain_cpu[@]}")" \
  "ours_alloc_bytes_per_req=$(median "${our_plain_alloc[@]}") (medians of ${ROUNDS})"
echo "summary scheme=https wrk_rps=$(median "${wrk_tls_rps[@]}") ours_rps=$(median "${our_tls_rps[@]}") ratio=${TLS_RATIO}" \
  "paired_ratio_median=$(median "${paired_tls[@]}") paired_ratios=$(IFS=,; echo "${paired_tls[*]}")" \
  "wrk_cpu_us_per_req=$(median "${wrk_tls_cpu[@]}") ours_cpu_us_per_req=$(median "${our_tls_cpu[@]}")" \
  "ours_alloc_bytes_per_req=$(median "${our_tls_alloc[@]}") (medians of ${ROUNDS})"

# ---------------------------------------------------------------------------------------------------------------
# OPEN MODEL: each of OPEN_SCHEMES x OPEN_RATES (default 5,000 and 20,000 req/s) on /api/work?ms=5 with the full engine, pinned like above. Prints the achieved rate (target:
# within 1 %) and the scheduling lag p50/p99 (target: p99 <= 1 ms), and emit_lag_p99: on the paced loop, how late the
# loop itself emitted the arrivals (lag minus any wait for a free connection, i.e. the generator's own share; "nan"
# on the workers path). Median of the rounds.
# ---------------------------------------------------------------------------------------------------------------
if [ -n "$OPEN_SCHEMES" ] && [ -z "$WRK2" ]; then log "wrk2 not found (set WRK2): the open-model runs have no reference"; fi

# run_wrk2 <url> <rate> <connections>: wrk2 -R for WARMUP + DURATION seconds; prints "<achieved ratio> <CPU us per
# request> <latency p99 ms>" — latency from each request's intended start, as ours; ratio and CPU over the whole run
# (its first second or so calibrates at a lower rate, so the ratio reads a little low).
run_wrk2() {
  local url=$1 rate=$2 connections=$3 out times
  out=$(mktemp); times=$(mktemp)
  { TIMEFORMAT='%U %S'; time taskset -c "$CLIENT_CORE" "$WRK2" -t1 -c"$connections" -d"$(( WARMUP + DURATION ))s" -R"$rate" --latency "$url" >"$out"; } 2>"$times"
  if [ -z "$(awk '/^Requests\/sec:/' "$out")" ]; then cat "$out" "$times" >&2; fail "wrk2 failed"; fi
  awk -v rate="$rate" -v cpu="$(tail -n1 "$times")" '
    /requests in/ { n = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /^ *99\.000%/ && p99 == "" { v = $2; if (v ~ /us$/) p99 = v / 1000; else if (v ~ /ms$/) p99 = v + 0; else if (v ~ /s$/) p99 = v * 1000; }
    END { split(cpu, c, " "); printf "%.4f %.2f %.3f\n", rps / rate, (c[1] + c[2]) * 1e6 / n, p99 }' "$out"
  rm -f "$out" "$times"
}

for scheme in $OPEN_SCHEMES; do
  case "$scheme" in
    http) open_base="http://127.0.0.1:${HTTP_PORT}"; open_flags=() ;;
    https) open_base="https://127.0.0.1:${HTTPS_PORT}"; open_flags=(--insecure) ;;
    *) usage_error "OPEN_SCHEMES: '$scheme' is neither http nor https" ;;
  esac
  for rate in $OPEN_RATES; do
    declare -a ref_ratio=() ref_cpu=() ref_latency99=()
    # Per timer slack: space-separated values of each round (medians at the end).
    declare -A open_ratio=() open_lag50=() open_lag99=() open_emit99=() open_cpu=() open_alloc=() open_latency99=() open_waits=() open_events=()
    open_connections=$(( rate / 50 > 100 ? rate / 50 : 100 ))
    for round in $(seq 1 "$ROUNDS"); do
      if [ -n "$WRK2" ]; then
        fresh_target
        read -r ratio cpu p99 < <(run_wrk2 "${open_base}/api/work?ms=5" "$rate" "$open_connections")
        echo "round=${round} open-model scheme=${scheme} generator=wrk2 target_rps=${rate} achieved_ratio=${ratio} cpu_us_per_req=${cpu} latency_p99_ms=${p99}"
        ref_ratio+=("$ratio"); ref_cpu+=("$cpu"); ref_latency99+=("$p99")
      fi

      for slack in $OPEN_SLACKS; do
        fresh_target
        line=$(taskset -c "$CLIENT_CORE" dotnet "$BENCH_DLL" engine --model open --rate "$rate" --max-in-flight 1000 \
          --connections "$open_connections" --url "${open_base}/api/work?ms=5" --duration "$DURATION" --warmup "$WARMUP" \
          --timer-slack "$slack" "${open_flags[@]}")
        echo "round=${round} open-model scheme=${scheme} timer_slack=${slack} ${line}"
        read -r ratio lag50 lag99 emit99 cpu alloc latency99 waits events < <(echo "$line" | awk '{
          for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
          print v["achieved_ratio"], v["lag_p50_ms"], v["lag_p99_ms"], (v["emit_lag_p99_ms"] == "" ? "nan" : v["emit_lag_p99_ms"]), v["cpu_us_per_req"], v["alloc_bytes_per_req"], v["latency_p99_ms"],
            (v["waits_per_req"] == "" ? "nan" : v["waits_per_req"]), (v["events_per_req"] == "" ? "nan" : v["events_per_req"])
        }')
        open_ratio[$slack]+=" $ratio"; open_lag50[$slack]+=" $lag50"; open_lag99[$slack]+=" $lag99"; open_emit99[$slack]+=" $emit99"
        open_cpu[$slack]+=" $cpu"; open_alloc[$slack]+=" $alloc"; open_latency99[$slack]+=" $latency99"; open_waits[$slack]+=" $waits"; open_events[$slack]+=" $events"
      done
    done
    if [ -n "$WRK2" ]; then
      echo "summary open-model scheme=${scheme} target_rps=${rate} generator=wrk2 achieved_ratio=$(median "${ref_ratio[@]}") cpu_us_per_req=$(median "${ref_cpu[@]}")" \
        "latency_p99_ms=$(median "${ref_latency99[@]}") (medians of ${ROUNDS})"
    fi
    for slack in $OPEN_SLACKS; do
      # shellcheck disable=SC2086 # each entry is a space-separated list of the rounds' values
      echo "summary open-model scheme=${scheme} target_rps=${rate} timer_slack=${slack} achieved_ratio=$(median ${open_ratio[$slack]}) lag_p50_ms=$(median ${open_lag50[$slack]})" \
        "lag_p99_ms=$(median ${open_lag99[$slack]}) emit_lag_p99_ms=$(median ${open_emit99[$slack]}) cpu_us_per_req=$(median ${open_cpu[$slack]}) alloc_bytes_per_req=$(median ${open_alloc[$slack]})" \
        "latency_p99_ms=$(median ${open_latency99[$slack]}) waits_per_req=$(median ${open_waits[$slack]}) events_per_req=$(median ${open_events[$slack]}) (medians of ${ROUNDS})"
    done
  done
done

echo "ratio=${PLAIN_RATIO}"
