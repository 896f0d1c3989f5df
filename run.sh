#!/usr/bin/env bash
# The one run command (README): starts DataRights stand-alone on http://localhost:7071 with the
# embedded SQLite store in ./data. Nothing else to install: dotnet restores what it needs.
set -euo pipefail
cd "$(dirname "$0")"
export DataRights__DataDirectory="${DataRights__DataDirectory:-$PWD/data}"
exec dotnet run --project functions/DataRights.Host --launch-profile DataRights -- "$@"
