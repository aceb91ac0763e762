#!/usr/bin/env bash
# Paired A/B gate vs the baseline design, measured on loopback (the README's "Measured" table under Paired A/B
# comparisons). Two sample targets with 10 ms of server time, the candidate with 11 ms (+10 %); 150 req/s, 1 s warm-up,
# six 1 s rounds per side, gated p50/p95/errorRate at margin 5 %, alpha 0.01. For each design: GATES gates of the +10 %
# candidate and GATES A/A gates; prints one line per gate (exit code, verdict, p50 and p95 kind, ratio and method).
# Usage: bench/paired-gate.sh [gates per row, default 5]   (about 35 s per gate on a 2-core VM)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gates="${1:-5}"
dotnet build "$root/src/Yardstick.Cli" -c Release -v q -nologo >/dev/null
dotnet build "$root/src/Yardstick.SampleTarget" -c Release -v q -nologo >/dev/null
work="$(mktemp -d)"
cd "$work"
Y=(dotnet "$root/src/Yardstick.Cli/bin/Release/net10.0/yardstick.dll")
ST=(dotnet "$root/src/Yardstick.SampleTarget/bin/Release/net10.0/Yardstick.SampleTarget.dll")
REF=5301
CAND=5302
start() { "${ST[@]}" --urls "http://127.0.0.1:$1" --extra-latency-ms "$2" >/dev/null 2>&1 & echo $! > "pid.$1"; sleep 3; }
stop() { if [ -f "pid.$1" ]; then kill "$(cat "pid.$1")" 2>/dev/null || true; rm -f "pid.$1"; sleep 1; fi; }
trap 'stop $REF; stop $CAND; rm -rf "$work"' EXIT
workload() {
  cat > w.yaml <<W
name: paired-gate-bench
target:
  url: http://127.0.0.1:$1/api/hello
load:
  rate: 150/s
  duration: 1s
  warmup: 1s
compare:
  repeat: 6
  metrics: [p50, p95, errorRate]
  margin: 5%
  minTailSamples: 5
W
}
verdict() {
  python3 - <<'P'
import json
v = json.load(open('out.json'))['verdict']
m = {x['metric']: x for x in v['metrics']}
print(v['overall'], ' '.join(f"{k}={m[k]['kind']}({m[k].get('ratio') or 0:.3f},{m[k].get('method')})" for k in ['p50', 'p95']))
P
}
gate() { local code=0; "${Y[@]}" gate w.yaml --no-progress --json out.json "$@" >log.txt 2>&1 || code=$?; echo "exit $code $(verdict)"; }

start $REF 10
echo "== paired: +10 % candidate against the reference"
start $CAND 11; workload $CAND
for _ in $(seq "$gates"); do gate --against "http://127.0.0.1:$REF"; done
echo "== paired: A/A"
stop $CAND; start $CAND 10
for _ in $(seq "$gates"); do gate --against "http://127.0.0.1:$REF"; done
stop $CAND

echo "== baseline design: baseline measured on the reference (10 ms) and promoted"
workload $REF
"${Y[@]}" run w.yaml --no-progress --json out.json >log.txt 2>&1
"${Y[@]}" baseline promote "$(python3 -c "import json; print(json.load(open('out.json'))['runId'])")" --reason bench >/dev/null
echo "== baseline design: +10 % candidate"
stop $REF; start $REF 11
for _ in $(seq "$gates"); do gate; done
echo "== baseline design: A/A"
stop $REF; start $REF 10
for _ in $(seq "$gates"); do gate; done
