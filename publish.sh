#!/usr/bin/env bash
# Builds the Azure Functions deployment: publishes DataRights.Host self-contained for linux-x64, has the published
# program write host.json and one <function>/function.json per function from its own function list
# (DataRights.Host write-functions <folder>), and zips the folder for a zip deploy:
#   artifacts/functionapp/            host.json, http/, work-item/, queue-relay/, timer-*/, DataRights.Host and its files
#   artifacts/datarights-functionapp.zip
# Timer schedules come from the settings at publish time (e.g. DataRights__Workflow__DigestSchedule in the environment).
set -euo pipefail
cd "$(dirname "$0")"
out="$PWD/artifacts/functionapp"
zip_file="$PWD/artifacts/datarights-functionapp.zip"

rm -rf "$out" "$zip_file"
dotnet publish functions/DataRights.Host -c Release -r linux-x64 --self-contained true -o "$out" --nologo -v q

# The program writes the function folders; a scratch data folder keeps the run from touching ./data.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
DataRights__DataDirectory="$scratch" ASPNETCORE_ENVIRONMENT=Production "$out/DataRights.Host" write-functions "$out"

chmod +x "$out/DataRights.Host"
(cd "$out" && zip -q -r -X "$zip_file" .)
echo "Deployable folder: $out"
echo "Zip:               $zip_file ($(du -h "$zip_file" | cut -f1))"
