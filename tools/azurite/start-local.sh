#!/usr/bin/env bash
# Starts Azurite on three free loopback ports with its data under $1 (kept between runs), waits until it answers,
# and prints two lines: its process id, then the connection string for the development account on those ports.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
location="$1"
# Azurite holds the pipeline's records (personal data): its folder, the data folder when made here, and the files Azurite
# writes are the owner's only, like the host's own keys/, events/ and outbox/.
umask 077
mkdir -p "$location"
chmod 700 "$location"
ports=$(node -e '
  const net = require("net");
  const take = () => new Promise(r => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
  Promise.all([take(), take(), take()]).then(p => console.log(p.join(" ")));')
read -r blob queue table <<<"$ports"
# In a session of its own, out of the terminal's reach: Ctrl+C (SIGINT to the terminal's foreground process group; node
# does not keep the SIGINT a background job starts ignoring) and a closed terminal (SIGHUP) reach run.sh and the host
# only, so Azurite keeps serving while the host drains its task hub, and run.sh stops it once the host has exited.
# (A background job of this script is never a process group leader, so setsid makes it a session without forking:
# the pid below is Azurite's.)
setsid node "$dir/node_modules/azurite/dist/src/azurite.js" --silent --disableTelemetry --skipApiVersionCheck --location "$location" \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" \
  >"$location/azurite.log" 2>&1 &
pid=$!
# Stopped here if this script is interrupted before it has said Azurite's pid: nothing else knows of it yet.
trap 'kill "$pid" 2>/dev/null; exit 1' INT TERM HUP
node -e '
  const net = require("net");
  const ports = process.argv.slice(1).map(Number);
  const deadline = Date.now() + 30000;
  const up = p => new Promise(r => { const c = net.connect(p, "127.0.0.1", () => { c.end(); r(true); }); c.on("error", () => r(false)); });
  (async () => {
    while (Date.now() < deadline) {
      if ((await Promise.all(ports.map(up))).every(Boolean)) process.exit(0);
      await new Promise(r => setTimeout(r, 200));
    }
    process.exit(1);
  })();' "$blob" "$queue" "$table" || { kill "$pid" 2>/dev/null; echo "Azurite did not start; see $location/azurite.log" >&2; exit 1; }
trap - INT TERM HUP
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
echo "$pid"
echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
