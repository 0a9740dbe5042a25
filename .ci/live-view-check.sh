#!/usr/bin/env bash
# The live view in a real browser: headless Chromium from Debian's package opens the streaming_url
# of a COMPLETED run and of a FAILED one on the standalone fake, and the check reads what the page
# shows — goal, URL, final status, a clear finished state, every step with a screenshot that loaded,
# the result or the error, no heartbeat note left — and that nothing went wrong: no console message
# (the page logs only errors, e.g. a screenshot that did not load) and no request of the browser's
# answered 4xx/5xx (the fake's journal; e.g. a /favicon.ico 401). Screenshots and DOMs are kept in
# artifacts/live-view/.
#
#   dotnet build -c Release && bash .ci/live-view-check.sh [Configuration]
set -euo pipefail
cd "$(dirname "$0")/.."
cfg=${1:-Release}
dll="fake-server/bin/$cfg/net10.0/TinyFish.FakeServer.dll"
[ -f "$dll" ] || { echo "build first: dotnet build -c $cfg (missing $dll)" >&2; exit 1; }
out=artifacts/live-view
rm -rf "$out"; mkdir -p "$out"
key=live-key
log="$out/fake.log"
fake_pid=""
profile=$(mktemp -d)
trap '[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$profile"' EXIT
fail() { echo "live-view-check: $*" >&2; exit 1; }
json() { node -e 'const j = JSON.parse(process.argv[1]); console.log(eval(process.argv[2]))' "$1" "$2"; }
api() { curl -sS -H "X-API-Key: $key" -H 'Content-Type: application/json' "$@"; }

if ! command -v chromium >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null | grep -i chromium || fail "chromium is not installed"

dotnet "$dll" --urls http://127.0.0.1:0 --api-key "$key" --time-scale 50 >"$log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 150); do grep -q 'listening on http' "$log" && break; sleep 0.2; done
url=$(sed -n 's/.*listening on \(http:[^, ]*\).*/\1/p' "$log" | head -1)
[ -n "$url" ] || { cat "$log"; fail "the fake did not start"; }

[ "$(api -o /dev/null -w '%{http_code}' -d '{"url_contains":"flaky","after_seconds":6,"progress":2,"fails_with":{"category":"SYSTEM_FAILURE","message":"The browser crashed","retry_after_seconds":30}}' "$url/_fake/scenarios")" = 204 ] \
  || fail "could not add the failing scenario"
completed=$(json "$(api -d '{"url":"https://shop.example/products?page=1&sort=price","goal":"List <every> product & its price"}' "$url/v1/automation/run-async")" 'j.run_id')
failed=$(json "$(api -d '{"url":"https://flaky.example/","goal":"Read the headline"}' "$url/v1/automation/run-async")" 'j.run_id')
for id in "$completed" "$failed"; do
  for _ in $(seq 1 100); do
    status=$(json "$(api "$url/v1/runs/$id")" 'j.status')
    case "$status" in COMPLETED|FAILED|CANCELLED) break ;; esac
    sleep 0.1
  done
done
api -X DELETE "$url/_fake/journal" >/dev/null

browse() { # browse NAME URL: the DOM after the page settled, a screenshot, the browser's log
  local flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
    --disable-component-update --disable-sync "--user-data-dir=$profile" --enable-logging=stderr --v=0
    --virtual-time-budget=5000 --window-size=1100,1000)
  timeout 120 chromium "${flags[@]}" --dump-dom "$2" >"$out/$1.html" 2>"$out/$1.log" || fail "chromium failed on $1 (see $out/$1.log)"
  timeout 120 chromium "${flags[@]}" "--screenshot=$out/$1.png" "$2" >/dev/null 2>>"$out/$1.log" || fail "chromium could not take a screenshot of $1"
  [ "$(stat -c %s "$out/$1.png")" -gt 10000 ] || fail "the screenshot of $1 is (nearly) blank"
  if grep -q ':CONSOLE' "$out/$1.log"; then grep ':CONSOLE' "$out/$1.log" >&2; fail "the page logged to the console ($1)"; fi
}

# expect NAME 'JS over the page text (t) and DOM (d)' 'what it means'
expect() {
  node -e '
    const fs = require("fs");
    const d = fs.readFileSync(process.argv[1], "utf8");
    const text = (id) => { const m = d.match(new RegExp("id=\"" + id + "\"[^>]*>([\\s\\S]*?)</")); return m ? m[1] : null; };
    if (!eval(process.argv[2])) { console.error("expected " + process.argv[3]); process.exit(1); }' "$out/$1.html" "$2" "$3" || fail "$1: $3"
  echo "ok ($1): $3"
}

for name in completed failed; do
  id=${!name}
  browse "$name" "$(json "$(api "$url/v1/runs/$id")" 'j.streaming_url')"
  expect "$name" "text('status') === '${name^^}'" "the status ${name^^}"
  expect "$name" "/Finished: ${name^^} at \\d{4}-/.test(text('finished')) && !/id=\"finished\"[^>]*hidden/.test(d)" "a visible finished state"
  expect "$name" "text('beat') === ''" "no heartbeat note once finished"
  expect "$name" "!/id=\"no-steps\"[^>]*>/.test(d) || /id=\"no-steps\"[^>]*hidden/.test(d)" "steps shown"
done
expect completed "text('goal') === 'List &lt;every&gt; product &amp; its price'" "the goal, as text"
expect completed "text('url') === 'https://shop.example/products?page=1&amp;sort=price'" "the URL, as text"
expect completed "(d.match(/<img alt=\"Screenshot of step \\d\"/g) || []).length === 3" "three steps, each with its screenshot"
expect completed "text('outcome-title') === 'Result' && text('outcome').includes('"items"')" "the result"
expect failed "text('goal') === 'Read the headline'" "the goal"
expect failed "(d.match(/<img alt=\"Screenshot of step \\d\"/g) || []).length === 2" "two steps, each with its screenshot"
expect failed "text('outcome-title') === 'Error' && text('outcome').includes('The browser crashed') && text('outcome').includes('SYSTEM_FAILURE')" "the error"

journal=$(api "$url/_fake/journal")
node -e '
  const entries = JSON.parse(process.argv[1]).entries;
  const bad = entries.filter(e => !(e.status_code >= 200 && e.status_code < 300));
  const screenshots = entries.filter(e => e.path.endsWith("/screenshot.png")).length;
  if (bad.length > 0) { console.error("requests the browser made that failed:\n" + bad.map(e => e.method + " " + e.path + " -> " + e.status_code).join("\n")); process.exit(1); }
  if (screenshots < 5) { console.error("only " + screenshots + " screenshot requests"); process.exit(1); }
  console.log("ok: the browser made " + entries.length + " requests (" + screenshots + " screenshots), all answered 2xx; none for /favicon.ico");' "$journal" \
  || fail "the browser met an error answer (see above)"
echo "live view: all checks passed; screenshots in $out/"
