# Helpers shared by the bench scripts that pin the sample target and a generator to a core each.
# A script sets BENCH_NAME (its name in messages) and sources this file.

log() { echo "# $*" >&2; }
fail() { echo "${BENCH_NAME}: $*" >&2; exit 1; }
usage_error() { echo "${BENCH_NAME}: $*" >&2; exit 2; }

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_two_cores() { [ "$(nproc --all)" -ge 2 ] || usage_error "needs at least 2 cores (target and generator pinned apart)"; }

# require_free_port <port> <knob>: exit 2 when something already listens there.
require_free_port() { if listening "$1"; then usage_error "port $1 is already in use (set $2)"; fi; }

# wait_listening <port> [pid] [log file]: up to 30 s for the sample target to listen; fails early if it exits.
wait_listening() {
  local port=$1 pid=${2:-} logfile=${3:-}
  for _ in $(seq 1 150); do
    if listening "$port"; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      if [ -n "$logfile" ]; then cat "$logfile" >&2; fi
      fail "the sample target exited"
    fi
    sleep 0.2
  done
  fail "the sample target did not start listening on ${port}"
}

# How every bench starts the sample target: "${TARGET_ENV[@]}" taskset -c "$SERVER_CORE" dotnet "$TARGET_DLL" …
# Its thread pool does not spin. By default (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70) an idle pool worker spins in
# sched_yield before it sleeps, so the one-core target burned 14.7 of 15 CPU-seconds even at 5,000 req/s of 5-ms
# requests (5.4 s without the spin), and its busy core slowed the generator's core next to it on this VM: in paired
# rounds at 5,000/s the open model's lag p99 was 0.58-0.71 ms against a spinning target and 0.09-0.30 ms against a
# quiet one, at 44 against 35-40 us CPU per request (2026-12-07). Only the target gets it; generators keep their defaults.
TARGET_ENV=(env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)

# Builds the sample target and the load bench (Release) and sets what every pinned bench needs: pinned to a single
# core, .NET delays tier-1 JIT about tenfold unless DOTNET_TC_DelaySingleProcMultiplier=1.
build_target_and_bench() {
  log "building Release"
  dotnet build -c Release src/Yardstick.SampleTarget -v quiet -nologo >&2
  dotnet build -c Release bench/Yardstick.LoadBench -v quiet -nologo >&2
  export DOTNET_TC_DelaySingleProcMultiplier=1
}

# A scratch folder in $WORK; on exit it is removed and the server in $SERVER_PID (once set) is stopped.
use_work_dir() {
  WORK=$(mktemp -d)
  SERVER_PID=""
  trap 'if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
  trap 'exit 130' INT TERM
}
