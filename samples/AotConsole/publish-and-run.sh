#!/usr/bin/env bash
# Publishes samples/AotConsole as a Native AOT binary for linux-x64 and runs it.
# Fails if the toolchain is missing, if the publish reports any warning or error (trim/AOT analysis
# warnings IL2xxx/IL3xxx included; they are errors in this project anyway), if the binary exits
# non-zero, or if its output lacks the lines the sample is expected to print.
# Needs clang and zlib (Debian/Ubuntu: apt-get update && apt-get install -y clang zlib1g-dev).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rid=linux-x64
out="${AOT_OUT:-$(mktemp -d)}"
log="$out/publish.log"
# A temporary folder is removed when everything passed; kept (with the publish log) when not.
[ -n "${AOT_OUT:-}" ] || trap 'rc=$?; [ "$rc" -ne 0 ] || rm -rf "$out"' EXIT

if ! command -v clang >/dev/null 2>&1; then
  echo "publish-and-run: 'clang' is not on PATH; Native AOT links with it." >&2
  echo "  Debian/Ubuntu: apt-get update && apt-get install -y clang zlib1g-dev" >&2
  exit 2
fi

echo "==> dotnet publish -c Release -r $rid (Native AOT) into $out"
start=$(date +%s)
set +e
dotnet publish "$here/AotConsole.csproj" -c Release -r "$rid" -o "$out/bin" -nologo -clp:NoSummary >"$log" 2>&1
rc=$?
set -e
echo "    publish took $(( $(date +%s) - start )) s (exit $rc)"

# Any trim/AOT analysis warning fails the script, even if a later change stopped treating it as an error.
if grep -E '(warning|error) IL[23][0-9]{3}' "$log"; then
  echo "publish-and-run: trim/AOT analysis reported the problems above" >&2
  exit 1
fi
if [ "$rc" -ne 0 ] || grep -E ': (warning|error) ' "$log"; then
  tail -40 "$log" >&2
  echo "publish-and-run: dotnet publish failed (log: $log)" >&2
  exit 1
fi

binary="$out/bin/AotConsole"
if [ ! -x "$binary" ] || [ -e "$out/bin/AotConsole.dll" ]; then
  echo "publish-and-run: no native binary at $binary (or an IL assembly beside it)" >&2
  exit 1
fi
echo "    native binary: $(du -h "$binary" | cut -f1)"

echo "==> $binary"
set +e
output="$("$binary")"
rc=$?
set -e
printf '%s\n' "$output"
if [ "$rc" -ne 0 ]; then
  echo "publish-and-run: the native binary exited with $rc" >&2
  exit 1
fi

expected=(
  'queued run_1; request body {"url":"https://shop.example/pricing","goal":"Find the price of the Pro plan","browser_profile":"turbo","proxy_config":{"enabled":true,"country_code":"JP"},"x_trace":{"team":"pricing"}}'
  'run run_2: PAUSED_FOR_REVIEW (known: False); unknown fields kept: priority, reviewer; browser_config keeps proxy_region'
  'run run_2 written back equal to what was read: True'
  'all runs over 2 pages: run_2=PAUSED_FOR_REVIEW run_1=COMPLETED run_3=FAILED'
  'event unknown SCREENSHOT kept: https://cdn.example/run_4/1.png; written back equal: True'
  'event COMPLETE COMPLETED {"price":"$49"}'
  'run_missing: 404 NOT_FOUND'
  'AOT sample: all checks passed'
)
for line in "${expected[@]}"; do
  if ! grep -qxF -- "$line" <<<"$output"; then
    echo "publish-and-run: expected output line missing: $line" >&2
    exit 1
  fi
done
echo "publish-and-run: OK (0 trim/AOT warnings, native binary ran and printed what was expected)"
