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
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "installed $(command -v chromium)"
else
  echo "chromium is not installed and cannot be installed here (needs root and apt-get): the browser test will be skipped"
fi

step "Bicep build + lint (infra/main.bicep)"
scripts/bicep-check.sh

step "Build (Release)"
dotnet build Functions.sln -c Release

step "Tests"
dotnet test Functions.sln -c Release --no-build --logger "console;verbosity=minimal"
