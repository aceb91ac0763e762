#!/usr/bin/env bash
# Re-resolve every project's packages and rewrite its packages.lock.json. Run it after changing a package reference
# or a version in Directory.Packages.props, and commit the lock files in the same commit (CI restores in locked mode).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore Functions.sln --force-evaluate "$@"
git status --short -- '*packages.lock.json'
