#!/usr/bin/env bash
# The one run command (README): starts DataRights stand-alone on http://localhost:7071 with the
# embedded SQLite store in ./data. Nothing else to install: dotnet restores what it needs.
set -euo pipefail
cd "$(dirname "$0")"
# The local try-out: Development, with the development sign-in (X-DataRights-Dev-User) and /dev/mail opted in.
# Outside Development neither exists, and the program refuses to start without a deployment's settings.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DataRights__DevSignIn="${DataRights__DevSignIn:-true}"
export DataRights__DataDirectory="${DataRights__DataDirectory:-$PWD/data}"
# The demo's nightly purge timers only report what they would delete, so the seeded demo data stay
# (POST /api/admin/purges with "dryRun": false purges for real; set this to false to make the timers purge).
export DataRights__Retention__DryRun="${DataRights__Retention__DryRun:-true}"
exec dotnet run --project functions/DataRights.Host --launch-profile DataRights -- "$@"
