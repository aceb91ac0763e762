#!/usr/bin/env bash
# Compile and lint infra/main.bicep (and every module it references) with the real Bicep CLI.
#
# The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (pinned below), fetched
# by `dotnet restore` of a throwaway project through whatever package source NuGet is configured
# with, then run from the NuGet global packages folder. No download URL is involved.
#
# Policy: any Warning or Error from `bicep build` or `bicep lint` fails the check. A warning may
# be accepted only with Bicep's own `#disable-next-line <rule>` on the line above the offending
# one, and that pragma must carry a `// why` comment (on the same line or the line above it);
# this script fails on a bare pragma.
#
# Usage: scripts/bicep-check.sh            (from anywhere inside the repository)
# Exit:  0 clean, 1 diagnostics or bare suppressions, 2 the Bicep CLI could not be obtained.
set -euo pipefail

BICEP_PACKAGE="Azure.Bicep.CommandLine.linux-x64"
BICEP_VERSION="0.49.2"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
main_bicep="$repo_root/infra/main.bicep"
tools_dir="${YARDSTICK_TOOLS_DIR:-$repo_root/.tools}/bicep-restore"

log() { printf 'bicep-check: %s\n' "$*" >&2; }

packages_root() {
  # `global-packages: /root/.nuget/packages/` (honours NUGET_PACKAGES and NuGet.config).
  dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p' | head -n 1
}

bicep_path() {
  local root
  root="$(packages_root)"
  printf '%s/%s/%s/tools/bicep' "${root%/}" "${BICEP_PACKAGE,,}" "$BICEP_VERSION"
}

acquire_bicep() {
  local bin
  bin="$(bicep_path)"
  if [[ ! -f "$bin" ]]; then
    log "restoring $BICEP_PACKAGE $BICEP_VERSION into the NuGet global packages folder"
    mkdir -p "$tools_dir"
    # Empty Directory.* files stop MSBuild from importing the repository's build settings
    # (central package management would reject a PackageDownload without a central version).
    for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
      printf '<Project />\n' > "$tools_dir/$f"
    done
    cat > "$tools_dir/bicep-restore.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$BICEP_PACKAGE" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
CSPROJ
    if ! dotnet restore "$tools_dir/bicep-restore.csproj" --nologo -v quiet >&2; then
      log "dotnet restore of $BICEP_PACKAGE $BICEP_VERSION failed"
      return 2
    fi
  fi
  if [[ ! -f "$bin" ]]; then
    log "expected the Bicep CLI at $bin after restore, found nothing"
    return 2
  fi
  # NuGet extraction does not always keep the execute bit.
  [[ -x "$bin" ]] || chmod +x "$bin"
  printf '%s' "$bin"
}

# Every `#disable-next-line` must say why: a `//` comment after the rule names or on the line above.
check_suppressions() {
  local bad=0 file
  while IFS= read -r -d '' file; do
    local prev="" line n=0
    while IFS= read -r line || [[ -n "$line" ]]; do
      n=$((n + 1))
      if [[ "$line" =~ ^[[:space:]]*#disable-next-line ]]; then
        if [[ "$line" != *"//"* && ! "$prev" =~ ^[[:space:]]*// ]]; then
          log "${file#"$repo_root"/}:$n: #disable-next-line without a '// why' comment"
          bad=1
        fi
      fi
      prev="$line"
    done < "$file"
  done < <(find "$repo_root/infra" -name '*.bicep' -print0)
  return "$bad"
}

main() {
  local bicep status=0
  if ! bicep="$(acquire_bicep)"; then
    exit 2
  fi
  log "$("$bicep" --version)"

  local out
  out="$(mktemp)"
  trap 'rm -f "$out"' EXIT

  log "bicep build infra/main.bicep"
  if ! "$bicep" build "$main_bicep" --stdout > /dev/null 2> "$out"; then
    status=1
  fi
  log "bicep lint infra/main.bicep"
  if ! "$bicep" lint "$main_bicep" --diagnostics-format Default >> "$out" 2>&1; then
    status=1
  fi

  # build and lint report the same diagnostic twice; show each once.
  local diagnostics
  diagnostics="$(grep -E ' : (Warning|Error) ' "$out" | sort -u || true)"
  if [[ -n "$diagnostics" ]]; then
    printf '%s\n' "$diagnostics" | sed "s#$repo_root/##" >&2
    log "$(printf '%s\n' "$diagnostics" | wc -l) diagnostic(s); fix them, or suppress one with '#disable-next-line <rule> // why'"
    status=1
  elif [[ "$status" -ne 0 ]]; then
    sed "s#$repo_root/##" "$out" >&2
  fi

  if ! check_suppressions; then
    status=1
  fi

  if [[ "$status" -eq 0 ]]; then
    log "OK: infra/main.bicep builds and lints with no warnings"
  else
    log "FAILED"
  fi
  exit "$status"
}

main "$@"
