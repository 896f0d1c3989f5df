#!/usr/bin/env bash
# The one run command (README): DataRights stand-alone on http://localhost:7071 (or the address given with --urls).
# It installs Azurite from npm if missing, starts it on free loopback ports with its data in ./data/azurite, runs each
# request's work in Durable Task orchestrations on a task hub in that storage (as the Function App does on Azure),
# keeps the pipeline's own records in tables and blobs there too, and stops Azurite when the host has stopped.
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
  # (Its pid as start-local.sh said it, should a signal have cut the reading short.)
  local pid="${azurite_pid:-${started[0]:-}}"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}
trap stop_azurite EXIT
host_pid=""
starting_pid=""
# Ctrl+C (SIGINT to the terminal's foreground process group), the terminal closing (SIGHUP) or a service manager's
# SIGTERM to this script: the host is asked to stop with SIGTERM (dotnet run passes it on to the program; as a
# background job it ignores SIGINT) and waited for below, so Azurite stops only after the host has drained. Before the
# host has started, the script ends, and start-local.sh, if still starting Azurite, stops it.
on_signal() {
  if [ -n "$host_pid" ]; then kill -TERM "$host_pid" 2>/dev/null || true; return 0; fi
  [ -z "$starting_pid" ] || kill -TERM "$starting_pid" 2>/dev/null || true
  exit "$1"
}
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
# The pipeline's own records (requests, audit trails, registrations, holds, exports) live in Table and Blob storage,
# as on Azure; the demo data sources stay SQLite files of their own in ./data/sources.
if [ -z "${AzureWebJobsStorage:-}" ]; then
  echo "Preparing Azurite (local Azure Storage: the pipeline's tables and blobs, and the orchestrations' task hub)..."
  tools/azurite/ensure-installed.sh
  exec {from_start}< <(tools/azurite/start-local.sh "$DataRights__DataDirectory/azurite")
  starting_pid=$!
  mapfile -t started <&"$from_start"
  exec {from_start}<&-
  starting_pid=""
  [ "${#started[@]}" -eq 2 ] || exit 1 # Azurite did not start: start-local.sh said why.
  azurite_pid="${started[0]}"
  export AzureWebJobsStorage="${started[1]}"
  echo "Azurite is running (data in $DataRights__DataDirectory/azurite); it stops when DataRights stops."
fi

# The build embeds the evidence pack's PDF font (Debian's fonts-dejavu-core): installed if missing.
tools/fonts/ensure-installed.sh
echo "Building and starting DataRights (the first build takes a minute)..."
# In the background, so that this script takes the signals above and outlives the host: a signal ends `wait` early,
# while the host may still be draining its task hub (up to 20 s), so it waits again until the host has exited, then
# ends with the host's own exit status (non-zero when it failed), and the exit trap stops Azurite.
dotnet run --project functions/DataRights.Host -c Release --launch-profile DataRights -- "$@" &
host_pid=$!
while kill -0 "$host_pid" 2>/dev/null; do wait "$host_pid" || true; done
status=0
wait "$host_pid" || status=$?
exit "$status"
