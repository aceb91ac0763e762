#!/usr/bin/env bash
# The nightly watch on a real local history, in one command: runs workloads/nightly-local.yaml once per "night"
# against the sample target (restarted before each night with that night's latency, like a deployed app changing
# under the benchmark), with its alerts going to a loopback webhook receiver; then prints the trend, writes the
# dashboard (and a screenshot of it when Chromium is installed) and counts the webhooks per condition.
#
#   scripts/nightly-demo.sh [--nights 24] [--creep-from 11] [--base-ms 100] [--creep-ms 1] [--out .yardstick/nightly-demo]
#
# Default story: nights 1–10 at 100 ms of extra latency, then 1 ms (1 %) slower every night. Each night's verdict
# against rolling(5) stays within the 5 % margin — the creep that nightly comparisons absorb — and the drift check
# over the history calls it once. Runs are minutes apart, not nights: the history's order is what the analysis reads.
# Everything is loopback; the history lives in <out>/.yardstick/azurite (the CLI's embedded Azurite, started per
# command), so it never mixes with your own runs. Needs the .NET 10 SDK and Node.js 20, like the README's commands.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NIGHTS=24 CREEP_FROM=11 BASE_MS=100 CREEP_MS=1 OUT=.yardstick/nightly-demo
while [ $# -gt 0 ]; do
  case "$1" in
    --nights) NIGHTS=$2; shift 2 ;;
    --creep-from) CREEP_FROM=$2; shift 2 ;;
    --base-ms) BASE_MS=$2; shift 2 ;;
    --creep-ms) CREEP_MS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "nightly-demo: unknown argument '$1' (known: --nights, --creep-from, --base-ms, --creep-ms, --out)" >&2; exit 2 ;;
  esac
done
for pair in "--nights:$NIGHTS" "--creep-from:$CREEP_FROM" "--base-ms:$BASE_MS" "--creep-ms:$CREEP_MS"; do
  [[ "${pair#*:}" =~ ^[0-9]+$ ]] || { echo "nightly-demo: ${pair%%:*} must be a whole number, got '${pair#*:}'" >&2; exit 2; }
done
[ "$NIGHTS" -ge 12 ] && [ "$NIGHTS" -le 200 ] || { echo "nightly-demo: --nights must be between 12 and 200 (change-point detection needs 5 runs on each side)" >&2; exit 2; }

# A fresh history each time: the output folder is this script's own (it writes a marker into it).
if [ -e "$OUT" ] && [ ! -e "$OUT/.nightly-demo" ]; then
  echo "nightly-demo: $OUT exists and was not made by this script; choose another --out" >&2; exit 2
fi
rm -rf "$OUT"; mkdir -p "$OUT/nights"; touch "$OUT/.nightly-demo"
OUT=$(cd "$OUT" && pwd)

echo "== build (Release)"
dotnet build src/Yardstick.Cli -c Release -nologo -v quiet >/dev/null
BIN=$ROOT/src/Yardstick.Cli/bin/Release/net10.0
yardstick() { (cd "$OUT" && dotnet "$BIN/yardstick.dll" "$@"); }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_port() { for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "nightly-demo: nothing listens on 127.0.0.1:$1" >&2; return 1; }

TARGET_PORT=$(free_port); HOOK_PORT=$(free_port)
TARGET_PID=; HOOK_PID=
cleanup() { for p in $TARGET_PID $HOOK_PID; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The webhook receiver: one line per alert body in webhooks.jsonl.
node -e "
const fs=require('fs');
require('http').createServer((q,s)=>{let b='';q.on('data',d=>b+=d);q.on('end',()=>{fs.appendFileSync(process.argv[1],b.replace(/\n/g,' ')+'\n');s.end('ok');});}).listen(+process.argv[2],'127.0.0.1');
" "$OUT/webhooks.jsonl" "$HOOK_PORT" &
HOOK_PID=$!
wait_port "$HOOK_PORT"

start_target() {
  [ -n "$TARGET_PID" ] && { kill "$TARGET_PID" 2>/dev/null || true; wait "$TARGET_PID" 2>/dev/null || true; }
  dotnet "$BIN/Yardstick.SampleTarget.dll" --urls "http://127.0.0.1:$TARGET_PORT" --extra-latency-ms "$1" >"$OUT/target.log" 2>&1 &
  TARGET_PID=$!
  wait_port "$TARGET_PORT"
}

echo "== $NIGHTS nights of workloads/nightly-local.yaml (history in $OUT)"
printf '%-6s %-8s %-24s %-14s %s\n' night latency run verdict "drift / alerts"
for night in $(seq 1 "$NIGHTS"); do
  latency=$BASE_MS
  [ "$night" -ge "$CREEP_FROM" ] && latency=$((BASE_MS + (night - CREEP_FROM + 1) * CREEP_MS))
  start_target "$latency"
  log="$OUT/nights/$night.log"
  set +e
  yardstick run "$ROOT/workloads/nightly-local.yaml" --no-progress --alerts-to-loopback --tag "night=$night" \
    --set "target.url=http://127.0.0.1:$TARGET_PORT/api/hello" --set "alerts.send[0].url=http://127.0.0.1:$HOOK_PORT/hooks/nightly" >"$log" 2>&1
  code=$?
  set -e
  [ "$code" -le 1 ] || { echo "nightly-demo: night $night exited $code:" >&2; tail -20 "$log" >&2; exit "$code"; }
  run=$(grep -oE 'Run [0-9]{8}-[0-9]{6}-[0-9a-f]{6}' "$log" | head -1 | cut -d' ' -f2 || true)
  verdict=$(grep -oE '^Verdict: [a-z-]+' "$log" | head -1 | cut -d' ' -f2 || true)
  notes=$( (grep -E '^(drift|alert):' "$log" || true) | tr '\n' ' ' | cut -c1-110)
  printf '%-6s %-8s %-24s %-14s %s\n' "$night" "${latency}ms" "$run" "${verdict:-?}" "$notes"
done
start_target "$BASE_MS" && kill "$TARGET_PID" && TARGET_PID=

echo; echo "== yardstick trend nightly-local --metric p50"
yardstick trend nightly-local --metric p50 | tee "$OUT/trend.txt"
yardstick trend nightly-local --json >"$OUT/trend.json"

echo; echo "== yardstick dashboard nightly-local --out $OUT/site"
yardstick dashboard nightly-local --out "$OUT/site"
if command -v chromium >/dev/null 2>&1; then
  for page in index workloads/nightly-local; do
    shot="$OUT/dashboard-${page##*/}.png"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 \
      --screenshot="$shot" "file://$OUT/site/$page.html" >/dev/null 2>&1 && echo "screenshot: $shot"
  done
fi

echo; echo "== webhooks received (one per run and condition)"
node -e "
const lines=require('fs').existsSync(process.argv[1])?require('fs').readFileSync(process.argv[1],'utf8').split('\n').filter(Boolean):[];
const by={};for(const l of lines){const m=JSON.parse(l);(by[m.condition]??=[]).push(m.runId);}
if(!lines.length)console.log('none');for(const [c,r] of Object.entries(by))console.log(c+': '+r.length+' ('+r.join(', ')+')');
" "$OUT/webhooks.jsonl"
