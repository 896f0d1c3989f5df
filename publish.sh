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
rm -rf "$out" "$zip_file"
dotnet publish functions/DataRights.Functions -c Release -o "$out" --nologo -v q

(cd "$out" && zip -q -r -X "$zip_file" .)
echo "Deployable folder: $out ($(grep -c '"scriptFile"' "$out/functions.metadata") functions)"
echo "Zip:               $zip_file ($(du -h "$zip_file" | cut -f1))"
