#!/usr/bin/env bash
# Checks the README's run command as a person uses it: ./run.sh on a free port with an empty data folder, one
# erasure request through the API (submitted, verified and approved by staff with the development sign-in), the
# demo CRM's record erased and the completion email written; the pipeline's records in Table storage on Azurite
# (no SQLite store file in the data folder); when the host stops, it drains its task hub first, and Azurite stops with it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
# Azurite runs in a session of its own (so that Ctrl+C leaves it serving while the host drains): found by its folder.
azurite_pattern="azurite\.js .*--location $work/data/azurite "
runner=""
# However this check ends (done, failed or interrupted), nothing it started stays: the run command's session (run.sh,
# dotnet run, the host) is sent SIGTERM and, after 40 s (the host drains for up to 20 s), SIGKILL; Azurite, in a session
# of its own that run.sh normally stops, likewise; then the temporary folder goes.
cleanup() {
  if [ -n "$runner" ]; then
    pkill -TERM -s "$runner" 2>/dev/null || true
    for _ in $(seq 1 40); do pgrep -s "$runner" >/dev/null || break; sleep 1; done
    pkill -KILL -s "$runner" 2>/dev/null || true
  fi
  if pkill -TERM -f -- "$azurite_pattern" 2>/dev/null; then
    for _ in $(seq 1 10); do pgrep -f -- "$azurite_pattern" >/dev/null || break; sleep 1; done
    pkill -KILL -f -- "$azurite_pattern" 2>/dev/null || true
  fi
  rm -rf "$work"
}
# On a signal, after cleaning up, this script dies of that signal, so that test.sh (or a terminal) sees it interrupted.
on_signal() { trap - EXIT "$1"; echo "Stopping the run command..." >&2; cleanup; kill -s "$1" "$$"; }
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP
# A free port below the system's ephemeral range (as LocalTaskHub.ChooseAddress takes the task hub's): Kestrel binds it
# only after the build, minutes later, and a port in that range may meanwhile be handed to an outgoing connection or a
# port-0 listener (Azurite's). A system-chosen port is the fallback.
port=$(node -e '
  const net = require("net");
  let from = 49152;
  try {
    const low = Number(require("fs").readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (low > 20001) from = low;
  } catch { /* not Linux: the IANA range */ }
  const free = p => new Promise(r => { const s = net.createServer(); s.once("error", () => r(false)); s.listen(p, "127.0.0.1", () => s.close(() => r(true))); });
  (async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const p = 20000 + Math.floor(Math.random() * (from - 20000));
      if (await free(p)) { console.log(p); return; }
    }
    const s = net.createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  })();')
log="$work/run.log"
export DataRights__DataDirectory="$work/data"
setsid "$root/run.sh" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
runner=$!
fail() { echo "run command check failed: $1" >&2; tail -n 60 "$log" >&2; exit 1; }

node "$root/tools/smoke/journey.mjs" "http://127.0.0.1:$port" || fail "the journey did not complete"
[ ! -e "$work/data/datarights.db" ] || fail "the pipeline's records went to a SQLite file in the data folder"
azurite=$(pgrep -f -- "$azurite_pattern") || fail "Azurite is not running under the run command"
[ "$(ps -o sid= -p "$azurite" | tr -d ' ')" = "$azurite" ] || fail "Azurite is not in a session of its own (Ctrl+C would stop it with the host)"

# Stop the host as a service manager would (SIGTERM); the run command then stops Azurite.
pkill -TERM -s "$runner" -f "DataRights.Host" || fail "no host process to stop"
for _ in $(seq 1 60); do kill -0 "$runner" 2>/dev/null || break; sleep 1; done
kill -0 "$runner" 2>/dev/null && fail "the run command did not end within 60 s of the host stopping"
kill -0 "$azurite" 2>/dev/null && fail "Azurite was left running after the host stopped"
drained=$(grep -A1 "LocalTaskHub\[3414\]" "$log" | tail -n 1 | sed 's/^ *//') || true
[ -n "$drained" ] || fail "the host stopped without draining its task hub (no log 3414)"
! grep -q "Connection refused" "$log" || fail "the host's calls to Azurite were refused (Azurite stopped before the host)"
echo "run command: request completed through ./run.sh on port $port; on SIGTERM: $drained; Azurite stopped with the host"
