#!/usr/bin/env bash
# A tour of the standalone fake as a client that is not .NET sees it: plain curl, JSON checked with
# node. It starts the fake on a free loopback port with a sped-up clock, then: a missing key, a
# scenario (a failed goal), a run queued and polled to COMPLETED, a page of runs, an event stream
# read to COMPLETE, a cancel of a finished run, a fault (429 + Retry-After) and the request journal.
#
#   dotnet build -c Release && bash samples/Standalone/curl-tour.sh [Configuration]
#   TINYFISH_FAKE=/path/to/tinyfish-fake bash samples/Standalone/curl-tour.sh   # the installed .NET tool
#
# Every step checks the answer against what the spec and the fake's README say; any mismatch stops
# the tour with a non-zero exit. Needs curl and node.
set -euo pipefail
cd "$(dirname "$0")/../.."
cfg=${1:-Release}
if [ -n "${TINYFISH_FAKE:-}" ]; then
  fake=("$TINYFISH_FAKE")
else
  dll="fake-server/bin/$cfg/net10.0/TinyFish.FakeServer.dll"
  [ -f "$dll" ] || { echo "build first: dotnet build -c $cfg (missing $dll)" >&2; exit 1; }
  fake=(dotnet "$dll")
fi
key=tour-key
log=$(mktemp)
fake_pid=""
trap '[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; wait 2>/dev/null; rm -f "$log"' EXIT

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "curl-tour: $*" >&2; exit 1; }
# check 'JSON' 'JS expression over j' 'what it means': fails the tour when the expression is false.
check() {
  node -e 'const j = JSON.parse(process.argv[1]); if (!eval(process.argv[2])) { console.error("expected " + process.argv[3] + ", got " + process.argv[1]); process.exit(1); }' \
    "$1" "$2" "$3" || fail "$3"
  echo "ok: $3"
}
api() { curl -sS -H "X-API-Key: $key" -H 'Content-Type: application/json' "$@"; }

step "Start the fake (100x real time)"
"${fake[@]}" --urls http://127.0.0.1:0 --api-key "$key" --time-scale 100 >"$log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 150); do grep -q 'listening on http' "$log" && break; sleep 0.2; done
url=$(sed -n 's/.*listening on \(http:[^, ]*\).*/\1/p' "$log" | head -1)
[ -n "$url" ] || { cat "$log"; fail "the fake did not start"; }
echo "$url"

step "No key: 401 MISSING_API_KEY in the error envelope"
check "$(curl -sS "$url/v1/runs")" 'j.error.code === "MISSING_API_KEY"' "error.code MISSING_API_KEY"

step "A scenario: runs whose goal mentions products fail their goal"
[ "$(api -o /dev/null -w '%{http_code}' -d '{"goal_contains":"products","fails_goal":"No products on the page"}' "$url/_fake/scenarios")" = 204 ] \
  || fail "POST /_fake/scenarios did not answer 204"
echo "ok: 204"

step "Queue a run, poll it until it is COMPLETED"
queued=$(api -d '{"url":"https://shop.example","goal":"List the products"}' "$url/v1/automation/run-async")
check "$queued" 'typeof j.run_id === "string" && j.error === null' "a run_id and error: null"
id=$(node -e 'console.log(JSON.parse(process.argv[1]).run_id)' "$queued")
for _ in $(seq 1 100); do
  run=$(api "$url/v1/runs/$id")
  node -e 'process.exit(JSON.parse(process.argv[1]).status === "COMPLETED" ? 0 : 1)' "$run" && break
  sleep 0.05
done
check "$run" 'j.status === "COMPLETED" && j.result.status === "failure" && j.result.reason === "No products on the page"' \
  "COMPLETED with result {status: failure, reason}: the goal failed, the infrastructure did not"

step "A page of runs"
check "$(api "$url/v1/runs?limit=1&status=COMPLETED")" \
  'j.data.length === 1 && typeof j.pagination.total === "number" && "next_cursor" in j.pagination && typeof j.pagination.has_more === "boolean"' \
  "data + pagination {total, next_cursor, has_more}"

step "An event stream, read to COMPLETE"
events=$(api -N --max-time 20 -d '{"url":"https://example.com","goal":"Read the title"}' "$url/v1/automation/run-sse" | sed -n 's/^data: //p' | node -e '
  const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
  console.log(JSON.stringify(lines.map(l => JSON.parse(l).type)));')
check "$events" 'j[0] === "STARTED" && j.includes("STREAMING_URL") && j.includes("PROGRESS") && j[j.length - 1] === "COMPLETE"' \
  "STARTED, STREAMING_URL, PROGRESS..., COMPLETE ($events)"

step "Cancel a finished run: nothing changes"
check "$(api -X POST "$url/v1/runs/$id/cancel")" 'j.status === "COMPLETED" && j.cancelled_at === null && j.message === "Run already finished"' \
  "COMPLETED, cancelled_at null, Run already finished"

step "A fault: the next GET /v1/runs is rate limited"
api -o /dev/null -d '{"kind":"rate_limited","retry_after_seconds":7,"method":"GET","path":"/v1/runs"}' "$url/_fake/faults"
headers=$(mktemp)
limited=$(api -D "$headers" "$url/v1/runs")
check "$limited" 'j.error.code === "RATE_LIMIT_EXCEEDED"' "429 RATE_LIMIT_EXCEEDED"
grep -qi '^retry-after: 7' "$headers" || fail "no Retry-After: 7 header"; echo "ok: Retry-After: 7"
rm -f "$headers"

step "The journal: what the fake received, key redacted"
check "$(api "$url/_fake/journal?method=POST&path_prefix=/v1/automation")" \
  'j.entries.length === 2 && j.entries.every(e => e.headers["X-API-Key"] === "***")' "2 POSTs to /v1/automation, X-API-Key: ***"

echo
echo "The tour passed: the standalone fake answered curl as the spec says."
