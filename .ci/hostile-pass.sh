#!/usr/bin/env bash
# The standalone hostile pass and memory check over a real socket (see .ci/hostile-pass.mjs): starts
# the fake with 2,000 runs of history and a 20x clock, runs the pass, stops the fake.
#
#   dotnet build -c Release && bash .ci/hostile-pass.sh [Configuration] [max RSS in MB]
set -euo pipefail
cd "$(dirname "$0")/.."
cfg=${1:-Release}
max_rss=${2:-512}   # the bound the fake's README documents
dll="fake-server/bin/$cfg/net10.0/TinyFish.FakeServer.dll"
[ -f "$dll" ] || { echo "build first: dotnet build -c $cfg (missing $dll)" >&2; exit 1; }
mkdir -p artifacts
log=artifacts/hostile-pass-fake.log
key=hostile-key
dotnet "$dll" --urls http://127.0.0.1:0 --api-key "$key" --history 2000 --time-scale 20 --body-timeout-seconds 2 >"$log" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 150); do grep -q 'listening on http' "$log" && break; sleep 0.2; done
url=$(sed -n 's/.*listening on \(http:[^, ]*\).*/\1/p' "$log" | head -1)
[ -n "$url" ] || { cat "$log"; echo "the fake did not start" >&2; exit 1; }
node .ci/hostile-pass.mjs "$url" "$key" "$fake_pid" "$max_rss"
if grep -q 'SELF-CHECK FAILED' "$log"; then grep 'SELF-CHECK FAILED' "$log" | head -5 >&2; echo "the fake sent answers that break the spec" >&2; exit 1; fi
kill -0 "$fake_pid" 2>/dev/null || { echo "the fake died" >&2; exit 1; }
