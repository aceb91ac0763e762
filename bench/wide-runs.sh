#!/usr/bin/env bash
# Wide and long runs: how orchestration overhead, persist and analysis grow with the shard count and the run length.
#
# 1. Real runs on the local host (the real Durable engine over Azurite, fresh storage per run): a 2-second open-model
#    run at 20 req/s per shard against the sample target, for 16, 64 and 256 shards (256 is load.shards' cap), RUNS
#    times each, interleaved; the median overhead, persist and analyze of each width.
# 2. Synthetic shard results (bench/Yardstick.Benchmarks `scale`, no Durable, no blobs): persist + analyze compute and
#    peak working set at 16/64/256/1,024 shards of the same 2-second run, and a 1-hour 16-shard run at 100 req/s per
#    shard without and with an instance header (busy intervals are then stored per request).
#
# Prints one line per run (status, shard start spread, overhead and phases), then ready-to-paste README table rows (the lines starting with '|'), with the load average.
# Usage: RUNS=3 SHARDS="16 64 256" bench/wide-runs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SHARDS=${SHARDS:-"16 64 256"}
PORT=${PORT:-5092}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

dotnet build src/Yardstick.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/Yardstick.Benchmarks -c Release -v q -nologo >/dev/null
cli=(dotnet "$PWD/src/Yardstick.Cli/bin/Release/net10.0/yardstick.dll")
work=$(mktemp -d)
trap 'kill "${target_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet src/Yardstick.Cli/bin/Release/net10.0/Yardstick.SampleTarget.dll --urls "http://127.0.0.1:${PORT}" >/dev/null &
target_pid=$!
sleep 2

BENCH_NAME=wide-runs
# shellcheck source=bench/lib.sh
. bench/lib.sh
phase() { sed -nE "s/.*[(, ]$1 ([0-9.]+) s.*/\1/p" <<<"$2"; }

declare -A overhead spreads persist analyze loads
for round in $(seq 1 "$RUNS"); do
  for shards in $SHARDS; do
    cat > "$work/wide-$shards.yaml" <<YAML
name: wide-$shards
target:
  url: http://127.0.0.1:${PORT}/api/hello
load:
  rate: $((shards * 20))/s
  duration: 2s
  shards: $shards
YAML
    rm -rf "$work/.yardstick"
    out=$(cd "$work" && "${cli[@]}" run "wide-$shards.yaml" --no-progress || true)
    line=$(grep '^orchestration:' <<<"$out")
    # The summary's row "shard start spread / latest delay │ 702 / 703 ms │" and its status row.
    spread=$(sed -nE 's/.*shard start spread \/ latest delay[^0-9]*([0-9]+) \/ ([0-9]+) ms.*/\1/p' <<<"$out")
    status=$(sed -nE 's/.*│ status +│ +([a-z]+) .*/\1/p' <<<"$out")
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "shards=$shards round=$round load=$load status=$status start_spread_ms=${spread:-0} $line"
    overhead[$shards]+="$(sed -E 's/.* ([0-9.]+) s overhead.*/\1/' <<<"$line") "
    spreads[$shards]+="${spread:-0} "
    persist[$shards]+="$(phase persist "$line") "
    analyze[$shards]+="$(phase analyze "$line") "
    loads[$shards]+="$load "
  done
done

scale() { dotnet bench/Yardstick.Benchmarks/bin/Release/net10.0/Yardstick.Benchmarks.dll scale "$@"; }
kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
declare -a synthetic
for shards in 16 64 256 1024; do
  line=$(scale "$shards" 2 20); echo "$line"; synthetic+=("$line")
done
long=$(scale 16 3600 100); echo "$long"
long_instances=$(scale 16 3600 100 instances); echo "$long_instances"

echo
echo "| shards | overhead | start spread | persist | analyze | load avg | synthetic persist + analyze | peak memory |"
echo "|---|---|---|---|---|---|---|---|"
i=0
for shards in 16 64 256 1024; do
  s=${synthetic[$i]}; i=$((i + 1))
  compute=$(awk -v a="$(kv "$s" persist_s)" -v b="$(kv "$s" analyze_s)" 'BEGIN { printf "%.2f s", a + b }')
  if [ -n "${overhead[$shards]:-}" ]; then
    # shellcheck disable=SC2086
    echo "| $shards | $(median ${overhead[$shards]}) s | $(median ${spreads[$shards]}) ms | $(median ${persist[$shards]}) s | $(median ${analyze[$shards]}) s | $(median ${loads[$shards]}) | $compute | $(kv "$s" peak_working_set_mb) MB |"
  else
    echo "| $shards | — (above the 256-shard cap) | — | — | — | $(cut -d' ' -f1 /proc/loadavg) | $compute | $(kv "$s" peak_working_set_mb) MB |"
  fi
done
echo
echo "| 1-hour run, 16 shards × 100 req/s | stored shard results | timeline.json | persist | analyze | peak memory |"
echo "|---|---|---|---|---|---|"
for l in "$long" "$long_instances"; do
  echo "| instance header: $(kv "$l" instance_header) | $(kv "$l" stored_shard_mb) MB | $(kv "$l" timeline_mb) MB | $(kv "$l" persist_s) s | $(kv "$l" analyze_s) s | $(kv "$l" peak_working_set_mb) MB |"
done
