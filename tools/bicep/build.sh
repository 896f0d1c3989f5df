#!/usr/bin/env bash
# Compiles the Bicep templates (infra/) with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64, pinned in
# tools/bicep/bicep.csproj): infra/main.bicep, then every parameter file against it (build-params type-checks each
# value and finds missing or undeclared parameters). Any error or warning (compiler or the default linter rules)
# fails. Needs only NuGet: the CLI brings the Azure resource types with it. Run by ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
tool_dir="$root/tools/bicep"
version=$(sed -n 's:.*<BicepVersion>\(.*\)</BicepVersion>.*:\1:p' "$tool_dir/bicep.csproj")

dotnet restore "$tool_dir/bicep.csproj" --nologo -v q
packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')}
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
[ -f "$bicep" ] || { echo "Bicep CLI not found at $bicep after restore" >&2; exit 1; }
[ -x "$bicep" ] || chmod +x "$bicep"
"$bicep" --version

# infra/main.bicepparam reads azd's environment; these example values stand in for it (nothing is deployed).
export AZURE_ENV_NAME=datarights-check AZURE_LOCATION=eastus \
  DATARIGHTS_ENTRA_AUDIENCE=api://datarights DATARIGHTS_OPERATOR_NAME="Example Ltd" \
  DATARIGHTS_OPERATOR_ADDRESS="1 Example Street" DATARIGHTS_PRIVACY_CONTACT_EMAIL=privacy@example.com \
  DATARIGHTS_APPROVERS=approver@example.com DATARIGHTS_FALLBACK_APPROVER=dpo@example.com \
  DATARIGHTS_STAFF_ALERTS=privacy-team@example.com DATARIGHTS_DEFAULT_JURISDICTION=US-CA \
  DATARIGHTS_DIGEST_TIME_ZONE=America/New_York DATARIGHTS_SENDGRID_FROM_EMAIL=privacy@example.com \
  DATARIGHTS_AGENTS='[{"name":"branch-1"}]'

failures=0
diagnostics=$(mktemp)
trap 'rm -f "$diagnostics"' EXIT
# One compilation; fails on a non-zero exit or on any diagnostic line (warnings leave the exit code at 0).
check() {
  local what=$1; shift
  local rc=0
  "$bicep" "$@" --stdout >/dev/null 2>"$diagnostics" || rc=$?
  if [ "$rc" -ne 0 ] || grep -Eq ': (Error|Warning) ' "$diagnostics"; then
    echo "FAIL $what (exit $rc)"
    sed 's/^/  /' "$diagnostics"
    failures=$((failures + 1))
  else
    echo "ok   $what"
  fi
}

check infra/main.bicep build infra/main.bicep
for params in infra/main.bicepparam infra/parameters/*.bicepparam; do
  check "$params" build-params "$params"
done
stale=$(find infra -name '*.json' -path '*/parameters/*' | sort)
if [ -n "$stale" ]; then
  echo "FAIL JSON parameter files are not type-checked; write them as .bicepparam: $stale"
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "Bicep: $failures of the compilations above failed." >&2
  exit 1
fi
echo "Bicep: templates and parameter files compile without errors or warnings."
