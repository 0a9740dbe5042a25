#!/usr/bin/env bash
# Independent contract check: the contract suite (tests/Contract.Tests) drives every operation of
# the spec through Stoplight Prism in validating proxy mode, in front of the standalone fake.
# Prism checks each request and each response against openapi/tinyfish-runs.openapi.yaml on its
# own (a validator that shares no code with the generator, the fake or its self-check).
#
#   bash .ci/contract-check.sh [Configuration]     # default Release; needs `dotnet build -c <cfg>` first
#
# CONTRACT_CHECK_CANARY=1 is the way to see the check fail: the fake runs with its self-check off
# and, armed through its /_fake/faults route, answers every GET /v1/runs with one canned list whose
# pagination.total is a string. Prism must report it (tests/FakeServer.Tests SelfCheckTests shows
# the self-check catching the same answer).
#
# The suite reaches the fake itself (TINYFISH_CONTRACT_FAKE_URL, not through Prism, whose spec has no
# /_fake routes) to add scenarios, so failed goals and FAILED runs go through Prism too.
#
# Last, the whole suite runs straight against the standalone fake (no proxy), spec-breaking requests
# included.
#
# Fails when the suite fails (either way), when Prism reports any request or response violation, or when some
# operation of the spec was never called through it. Always stops both servers.
#
# Prism 5.14.2: later versions need a newer Node than the machines' Node 20.
#
# Workaround (the spec is right, Prism cannot read it): the 200 response of streamRun is
# `text/event-stream` whose schema describes the JSON of ONE `data:` line (RunEvent), the usual
# way to describe an event stream in OpenAPI 3.1 (3.2 names it itemSchema). Prism buffers the
# whole stream and validates the text as if it were one RunEvent, so every stream fails with
# "Response body must be object". Prism gets a copy of the spec in which that one schema is
# `type: string`; each event's JSON is checked by the fake's schema self-check instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cfg=${1:-Release}
prism_version=5.14.2
api_key=contract-key
source_spec=openapi/tinyfish-runs.openapi.yaml
canary=${CONTRACT_CHECK_CANARY:-}
canary_answer='{"data":[],"pagination":{"total":"0","next_cursor":null,"has_more":false}}'
started=$(date +%s)

work="$root/artifacts/contract-check"   # logs: fake.log, prism.log, suite.log
rm -rf "$work"
mkdir -p "$work"
fake_pid=""
prism_pid=""

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'contract-check: %s\n' "$*" >&2; exit 1; }

stop_servers() {
  # Prism runs in its own process group (npx, then node): stop the whole group.
  if [ -n "$prism_pid" ]; then kill -TERM -- "-$prism_pid" 2>/dev/null || true; fi
  if [ -n "$fake_pid" ]; then kill -TERM "$fake_pid" 2>/dev/null || true; fi
  if [ -n "$prism_pid" ]; then wait "$prism_pid" 2>/dev/null || true; fi
  if [ -n "$fake_pid" ]; then wait "$fake_pid" 2>/dev/null || true; fi
  prism_pid=""; fake_pid=""
}
trap 'stop_servers' EXIT
trap 'exit 130' INT TERM

# Waits up to $1 seconds for the command in the remaining arguments to succeed.
wait_for() {
  local seconds=$1; shift
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

answers_200() { [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $api_key" "$1/v1/runs?limit=1")" = 200 ]; }
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'; }

fake_dll="fake-server/bin/$cfg/net10.0/TinyFish.FakeServer.dll"
suite_dll="tests/Contract.Tests/bin/$cfg/net10.0/Contract.Tests.dll"
[ -f "$fake_dll" ] && [ -f "$suite_dll" ] || fail "build first: dotnet build Toolkit.sln -c $cfg (missing $fake_dll or $suite_dll)"

step "Standalone fake (--time-scale 50)"
# A run lasts 1 s queued + 50 s running on the fake's clock = about 1 s of real time: long enough
# for the suite to cancel a run it just queued through the proxy, short enough for the whole
# check to take well under a minute. History runs show the suite does not assume an empty store.
fake_args=(--urls http://127.0.0.1:0 --api-key "$api_key" --seed 7 --history 50 --time-scale 50 --running-seconds 50)
[ -z "$canary" ] || fake_args+=(--self-check off)
dotnet "$fake_dll" "${fake_args[@]}" >"$work/fake.log" 2>&1 &
fake_pid=$!
wait_for 60 grep -q 'listening on http' "$work/fake.log" || { cat "$work/fake.log"; fail "the fake did not start"; }
fake_url=$(sed -n 's/.*listening on \(http:[^, ]*\).*/\1/p' "$work/fake.log" | head -1)
wait_for 30 answers_200 "$fake_url" || fail "the fake at $fake_url does not answer"
echo "fake: $fake_url"
if [ -n "$canary" ]; then
  # Built with node, so the canned body is escaped by a JSON library rather than by hand.
  fault=$(node -e 'console.log(JSON.stringify({kind:"answer",count:1000000,method:"GET",path:"/v1/runs",status:200,body:process.argv[1]}))' "$canary_answer")
  [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-API-Key: $api_key" -H 'Content-Type: application/json' \
      -d "$fault" "$fake_url/_fake/faults")" = 204 ] || fail "could not arm the canary's broken answer"
  echo "canary: every GET /v1/runs now answers $canary_answer (self-check off)"
fi

step "Prism $prism_version proxy --errors"
spec="$work/tinyfish-runs.prism.openapi.yaml"
awk '
  /^[[:space:]]*text\/event-stream:[[:space:]]*$/ { in_stream = 1 }
  in_stream && /^[[:space:]]*\$ref: .#\/components\/schemas\/RunEvent.[[:space:]]*$/ {
    indent = substr($0, 1, match($0, /[^ ]/) - 1)
    print indent "type: string"
    print indent "description: Prism copy - the raw event stream (see .ci/contract-check.sh)."
    in_stream = 0; replaced++; next
  }
  { print }
  END { if (replaced != 1) exit 3 }
' "$source_spec" >"$spec" \
  || fail "could not find the text/event-stream schema of streamRun in the spec; update the workaround in $0"
prism_port=$(free_port)
prism_url="http://127.0.0.1:$prism_port"
setsid npx -y "@stoplight/prism-cli@$prism_version" proxy --errors "$spec" "$fake_url" \
  --port "$prism_port" --host 127.0.0.1 >"$work/prism.log" 2>&1 &
prism_pid=$!
# The first run may download Prism through npm. Readiness is read from its log, so that the
# only requests Prism sees are the suite's.
wait_for 180 grep -q 'Prism is listening on' "$work/prism.log" || { cat "$work/prism.log"; fail "Prism did not come up on $prism_url"; }
echo "prism: $prism_url -> $fake_url"

step "Contract suite through Prism"
set +e
TINYFISH_BASE_URL="$prism_url" TINYFISH_API_KEY="$api_key" \
TINYFISH_CONTRACT_VALIDATING_PROXY=1 TINYFISH_CONTRACT_TIMEOUT_SECONDS=60 TINYFISH_CONTRACT_FAKE_URL="$fake_url" \
  dotnet test tests/Contract.Tests -c "$cfg" --no-build -nologo --filter Category=Contract \
  --logger "console;verbosity=normal" 2>&1 | tee "$work/suite.log"
suite_rc=${PIPESTATUS[0]}
set -e

step "Contract suite straight to the standalone fake (also the requests Prism answers itself)"
set +e
TINYFISH_BASE_URL="$fake_url" TINYFISH_API_KEY="$api_key" TINYFISH_CONTRACT_TIMEOUT_SECONDS=60 TINYFISH_CONTRACT_FAKE_URL="$fake_url" \
  dotnet test tests/Contract.Tests -c "$cfg" --no-build -nologo --filter Category=Contract \
  --logger "console;verbosity=minimal" >"$work/direct.log" 2>&1
direct_rc=$?
set -e
tail -3 "$work/direct.log"
stop_servers

step "Prism's verdict"
# Prism's log without colours; with --errors a violating exchange is answered with a problem+json
# error and logged as "Request terminated with error: ...#VIOLATIONS" (UNPROCESSABLE_ENTITY for a
# bad request, UNAUTHORIZED for a missing key); without it as "Violation: ...".
sed 's/\x1b\[[0-9;]*m//g' "$work/prism.log" >"$work/prism.plain.log"
violations=$(grep -E 'Request terminated with error|[Vv]iolation|VIOLATIONS|UNPROCESSABLE_ENTITY|UNAUTHORIZED|✖' "$work/prism.plain.log" || true)
forwarded=$(grep -c 'Forwarding "' "$work/prism.plain.log" || true)

# Every operation of the spec must have gone through Prism at least once.
received=$(grep -oE '\[HTTP SERVER\] (get|post) /v1/[^ ]+' "$work/prism.plain.log" | sed 's/^\[HTTP SERVER\] //' | sort -u)
missing=()
check_op() { # operationId, pattern over "method path"
  grep -qE "^$2\$" <<<"$received" || missing+=("$1")
}
check_op runAutomation   'post /v1/automation/run'
check_op queueRun        'post /v1/automation/run-async'
check_op streamRun       'post /v1/automation/run-sse'
check_op queueRunBatch   'post /v1/automation/run-batch'
check_op listRuns        'get /v1/runs'
check_op getRun          'get /v1/runs/[A-Za-z0-9_-]+'
check_op getRunsBatch    'post /v1/runs/batch'
check_op cancelRunsBatch 'post /v1/runs/batch/cancel'
# cancelRun: "post /v1/runs/batch/cancel" would match its pattern too, so it is left out.
grep -E '^post /v1/runs/[A-Za-z0-9_-]+/cancel$' <<<"$received" | grep -vq '^post /v1/runs/batch/cancel$' || missing+=("cancelRun")

count() { sed -n "s/^ *$1: *\([0-9][0-9]*\) *\$/\1/p" "$work/suite.log" | tail -1; }
total=$(count 'Total tests'); passed=$(count Passed); failed=$(count Failed); skipped=$(count Skipped)
suite_line=""
[ -n "$total" ] && suite_line="$passed of $total passed, ${failed:-0} failed, ${skipped:-0} skipped (what needs a request that breaks the spec)"
problems=$(grep -F 'PROXY PROBLEM' "$work/suite.log" || true)
elapsed=$(( $(date +%s) - started ))

echo "Suite:            ${suite_line:-no result line (exit $suite_rc)}"
echo "Direct:           $(grep -E '(Passed|Failed)!' "$work/direct.log" | tail -1 | sed 's/ - Contract.Tests.dll.*//' | sed 's/^ *//')"
echo "Through Prism:    $forwarded requests forwarded to the fake"
if [ "${#missing[@]}" -eq 0 ]; then
  echo "Operations:       all 9 called"
else
  echo "Operations:       $(( 9 - ${#missing[@]} )) of 9 called; never called: ${missing[*]}"
fi
if [ -n "$violations" ]; then
  echo "Prism violations: $(wc -l <<<"$violations")"
  printf '%s\n' "$violations" | head -40
  [ -n "$problems" ] && printf '%s\n' "$problems" | head -40
else
  echo "Prism violations: none"
fi
echo "Logs:             $work (fake.log, prism.log, suite.log, direct.log)"
echo "Time:             ${elapsed} s"

status=0
[ "$suite_rc" -eq 0 ] && [ "${passed:-0}" -gt 0 ] || { echo "FAILED: the contract suite did not pass through Prism"; status=1; }
[ "$direct_rc" -eq 0 ] || { echo "FAILED: the contract suite did not pass straight against the standalone fake (see $work/direct.log)"; status=1; }
[ -z "$violations" ] || { echo "FAILED: Prism reported violations of the spec"; status=1; }
[ "${#missing[@]}" -eq 0 ] || { echo "FAILED: operations not exercised: ${missing[*]}"; status=1; }
[ "$forwarded" -gt 0 ] || { echo "FAILED: no request reached the fake through Prism"; status=1; }
[ "$status" -eq 0 ] && echo "Contract check passed: the fake and the generated client agree with the spec, as Prism sees it."
exit "$status"
