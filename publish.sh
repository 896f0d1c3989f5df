#!/usr/bin/env bash
# Builds the Azure Functions deployment: publishes DataRights.Functions (the isolated worker, .NET 10) and zips the
# folder for a zip deploy (Flex Consumption: az functionapp deployment source config-zip, see docs/azure.md):
#   artifacts/functionapp/            host.json, functions.metadata, worker.config.json, .azurefunctions/ (the host's
#                                     extensions: Durable Task), DataRights.Functions.dll and its dependencies
#   artifacts/datarights-functionapp.zip
# Timer schedules are constants in the code (functions/DataRights.Functions/Timers/TimerTriggers.cs).
set -euo pipefail
cd "$(dirname "$0")"
out="$PWD/artifacts/functionapp"
zip_file="$PWD/artifacts/datarights-functionapp.zip"

# The build embeds the evidence pack's PDF font (Debian's fonts-dejavu-core): installed if missing.
tools/fonts/ensure-installed.sh
# The zip is made with Debian's zip: installed if missing, as root or through sudo.
if ! command -v zip >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "Installing zip (to package the Function App)..."
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends zip >/dev/null
fi
rm -rf "$out" "$zip_file"
dotnet publish functions/DataRights.Functions -c Release -o "$out" --nologo -v q

(cd "$out" && zip -q -r -X "$zip_file" .)
echo "Deployable folder: $out ($(grep -c '"scriptFile"' "$out/functions.metadata") functions)"
echo "Zip:               $zip_file ($(du -h "$zip_file" | cut -f1))"
