#!/usr/bin/env bash
# The one run command (README): DataRights stand-alone on http://localhost:7071 (or the address given with --urls).
# It installs Azurite from npm if missing, starts it on free loopback ports with its data in ./data/azurite, runs each
# request's work in Durable Task orchestrations on a task hub in that storage (as the Function App does on Azure),
# keeps the pipeline's own records in tables and blobs there too, and stops Azurite when the host stops.
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

azurite_pid=""
# Azurite runs in a session of its own (start-local.sh), out of reach of Ctrl+C and of the terminal closing: it is
# stopped here, once the host has exited. It is not this shell's child, so it is waited for by polling: up to 10 s,
# then killed.
stop_azurite() {
  [ -n "$azurite_pid" ] || return 0
  kill "$azurite_pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$azurite_pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$azurite_pid" 2>/dev/null || true
}
trap stop_azurite EXIT
# The pipeline's own records (requests, audit trails, registrations, holds, exports) live in Table and Blob storage,
# as on Azure; the demo data sources stay SQLite files of their own in ./data/sources.
if [ -z "${AzureWebJobsStorage:-}" ]; then
  echo "Preparing Azurite (local Azure Storage: the pipeline's tables and blobs, and the orchestrations' task hub)..."
  tools/azurite/ensure-installed.sh
  mapfile -t started < <(tools/azurite/start-local.sh "$DataRights__DataDirectory/azurite")
  azurite_pid="${started[0]}"
  export AzureWebJobsStorage="${started[1]}"
  echo "Azurite is running (data in $DataRights__DataDirectory/azurite); it stops when DataRights stops."
fi

# The build embeds the evidence pack's PDF font (Debian's fonts-dejavu-core): installed if missing.
tools/fonts/ensure-installed.sh
echo "Building and starting DataRights (the first build takes a minute)..."
# In the foreground: Ctrl+C stops the host, then the exit trap stops Azurite.
dotnet run --project functions/DataRights.Host -c Release --launch-profile DataRights -- "$@"
