#!/usr/bin/env bash
# Runs all of Yardstick's tests, after setting up what they need. The README's test command and .ci/run call
# this script. Needs the .NET 10 SDK and Node.js 20; everything else is installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n== %s\n' "$*"; }

step "Azurite (pinned by tools/azurite/package-lock.json; the test fixtures start it on free ports)"
if [ ! -x tools/azurite/node_modules/.bin/azurite ]; then
  (cd tools/azurite && npm ci --no-audit --no-fund)
else
  echo "already installed"
fi

step "Chromium for the HTML report test (Debian package)"
if command -v chromium >/dev/null 2>&1; then
  echo "found $(command -v chromium)"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # Each step on its own line so `set -e` stops the script on the first failure (an `a && b` list would not).
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null || { echo "apt-get installed chromium but it is not on PATH" >&2; exit 1; }
  echo "installed $(command -v chromium)"
elif [ "${CI:-}" = true ]; then
  echo "chromium is not installed and cannot be installed here (needs root and apt-get); CI requires the browser test" >&2
  exit 1
else
  echo "chromium is not installed and cannot be installed here (needs root and apt-get): the browser tests will be skipped"
fi

step "Bicep build + lint (infra/main.bicep)"
scripts/bicep-check.sh

step "Restore (from the committed packages.lock.json files; locked mode in CI)"
if [ "${CI:-}" = true ]; then
  dotnet restore Functions.sln --locked-mode
else
  dotnet restore Functions.sln
fi

step "Build (Release)"
dotnet build Functions.sln -c Release --no-restore

step "Tests"
dotnet test Functions.sln -c Release --no-build --logger "console;verbosity=minimal"
