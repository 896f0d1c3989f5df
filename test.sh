#!/usr/bin/env bash
# The one test command (README, .ci/run). On a fresh machine it installs what the tests need
# (Debian's chromium for browser tests, Debian's postgresql server for the PostgreSQL connector tests,
# Azurite from npm for Table storage tests), compiles the Bicep templates (Bicep CLI from NuGet), restores, builds
# with warnings as errors, and runs every tier: unit, integration (real SQLite, real PostgreSQL, real HTTP, Azurite),
# browser (headless Chromium).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/artifacts/test-results"

section() { printf '\n== %s ==\n' "$1"; }

section "Chromium for browser tests"
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
/usr/bin/chromium --version

section "PostgreSQL server binaries for the postgres connector tests"
# Only the binaries are needed: the tests initdb and start a throw-away cluster of their own
# (tests/DataRights.Testing/Postgres), as the postgres OS user, on a free loopback port.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
ls -d /usr/lib/postgresql/*/bin/initdb

section "Fonts for the evidence pack's PDF (Debian's fonts-dejavu-core, embedded at build time)"
tools/fonts/ensure-installed.sh
ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

section "Azurite for Table storage tests (npm, pinned by tools/azurite/package-lock.json)"
# The storage tests start Azurite themselves (tests/DataRights.Testing/Azurite); here it is only installed,
# again whenever the lockfile changed since the last install.
azurite_dir="$root/tools/azurite"
"$azurite_dir/ensure-installed.sh"
echo "node $(node --version), azurite $(node "$azurite_dir/node_modules/azurite/dist/src/azurite.js" --version)"

section "Bicep templates (Bicep CLI from NuGet; errors and warnings fail)"
# A failure here fails the test command at the end, after the tests have still run and been counted.
bicep_status=0
tools/bicep/build.sh || bicep_status=$?

section "Restore and build (warnings are errors)"
dotnet restore DataRights.sln --nologo -v q
dotnet build DataRights.sln -c Release --no-restore --nologo -v q

section "Function App publish"
# The deployable Function App folder, as publish.sh makes it (without building again); the integration tests check
# its functions.metadata, extensions.json and host.json (PublishedFunctionAppTests).
functionapp="$root/artifacts/functionapp"
rm -rf "$functionapp"
dotnet publish functions/DataRights.Functions -c Release --no-build -o "$functionapp" --nologo -v q
export DATARIGHTS_FUNCTIONAPP_PUBLISH_DIR="$functionapp"
echo "$(grep -c '"scriptFile"' "$functionapp/functions.metadata") functions in $functionapp/functions.metadata"

section "The run command (./run.sh, as the README gives it)"
# One erasure request through ./run.sh on a free port and an empty data folder, on Azurite; the host's output goes
# to a file and is shown only if the check fails (tools/smoke/run-command.sh). A failure here fails the test command at
# the end, after the tests have still run and been counted.
run_command_status=0
tools/smoke/run-command.sh || run_command_status=$?

section "Tests"
rm -rf "$results"
status=0
# --blame names the test that was running when a test host crashed; a test still running after 10 minutes (the
# longest takes about two) has its test host stopped and is named, instead of holding the run to CI's limit.
dotnet test DataRights.sln -c Release --no-build --nologo \
  --blame --blame-hang-timeout 10m --blame-hang-dump-type none \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" || status=$?

# One closing line over every test assembly, summed from the TRX reports.
passed=0; failed=0; skipped=0
# Test assemblies that did not run to the end: with --blame, a test host that crashed or hung partway still leaves a
# report, counting only the tests run before. Its run outcome says so: "Failed" with no failed test (this test
# platform; "Completed" when all passed, "Failed" with failures), or "Aborted" or "Error"; and it carries the
# platform's "The active test run was aborted" message.
stopped=(); partial=()
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
  outcome=$(sed -n 's/.*<ResultSummary outcome="\([A-Za-z]*\)".*/\1/p' "$trx" | head -n 1)
  if { [ "$outcome" != Completed ] && { [ "$outcome" != Failed ] || [ "${f:-0}" -eq 0 ]; }; } \
    || grep -q 'The active test run was aborted' "$trx"; then
    assembly=$(grep -o -m 1 'codeBase="[^"]*"' "$trx" | sed 's|.*/||; s|\.dll"$||')
    stopped+=("${assembly:-$(basename "$trx")}")
    partial+=("${assembly:-$(basename "$trx")} (run outcome \"$outcome\", $((${p:-0} + ${f:-0})) tests counted)")
  fi
done
# The failed tests by name with the first lines of their messages, last, so that the end of the output says which
# ones and why (the console log above holds the rest).
if [ "$failed" -gt 0 ]; then
  echo
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    awk -f tools/ci/trx-failures.awk "$trx" || true
  done
fi
for report in "${partial[@]}"; do
  echo "Stopped partway: $report; its test host crashed or hung, and its tests after that point were not run (the console log above names the test it was running)." >&2
done
# A test assembly with no report: its test host crashed or was stopped, and its tests are not counted above.
for project in tests/*.Tests; do
  name=$(basename "$project")
  lower=$(tr '[:upper:]' '[:lower:]' <<<"$name")
  if ! grep -qs "/$lower.dll\"" "$results"/*.trx; then
    echo "No results from $name: its test host crashed or was stopped (the console log above names the test it was running)." >&2
    stopped+=("$name")
  fi
done
[ "${#stopped[@]}" -eq 0 ] || status=1
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "The tests did not all run to the end, though none failed: a test host crashed or was stopped (see above)." >&2
fi
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
if [ "$bicep_status" -ne 0 ]; then
  echo "The Bicep templates did not compile cleanly (section \"Bicep templates\" above)." >&2
  status=1
fi
if [ "$run_command_status" -ne 0 ]; then
  echo "The run command check failed (section \"The run command\" above)." >&2
  status=1
fi
# The last line says what did not pass, whatever the counts.
summary="$passed passed, $failed failed, $skipped skipped"
if [ "${#stopped[@]}" -gt 0 ]; then
  printf -v names '%s, ' "${stopped[@]}"
  summary+=", ${#stopped[@]} test assembl$([ "${#stopped[@]}" -eq 1 ] && echo y || echo ies) stopped partway (${names%, })"
fi
[ "$run_command_status" -eq 0 ] || summary+=", run command check failed"
[ "$bicep_status" -eq 0 ] || summary+=", Bicep templates failed"
echo
echo "$summary"
exit "$status"
