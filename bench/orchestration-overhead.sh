#!/usr/bin/env bash
# Orchestration overhead of a 16-shard run on the local host: everything except the load itself (planning, shard
# dispatch and start alignment, persisting, analysis). Runs a 2-second, 16-shard workload against the sample
# target a few times on the real Durable engine over Azurite and prints each figure and the median.
# Usage: bench/orchestration-overhead.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

dotnet build src/Yardstick.Cli -c Release -v q >/dev/null
cli=(dotnet src/Yardstick.Cli/bin/Release/net10.0/yardstick.dll)
work=$(mktemp -d)
trap 'kill "${target_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet src/Yardstick.Cli/bin/Release/net10.0/Yardstick.SampleTarget.dll --urls http://127.0.0.1:5091 >/dev/null &
target_pid=$!
sleep 2

cat > "$work/overhead-16.yaml" <<YAML
name: overhead-16
target:
  url: http://127.0.0.1:5091/api/hello
load:
  rate: 320/s
  duration: 2s
  shards: 16
YAML

overheads=()
for i in $(seq 1 "$runs"); do
  line=$("${cli[@]}" run "$work/overhead-16.yaml" --no-progress | grep '^orchestration:')
  echo "run $i: $line"
  overheads+=("$(sed -E 's/.* ([0-9.]+) s overhead.*/\1/' <<<"$line")")
done
median=$(printf '%s\n' "${overheads[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median overhead of a 16-shard run: ${median} s (target <= 3 s)"
echo "overhead=${median}"
