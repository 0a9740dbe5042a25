#!/usr/bin/env bash
# Rewrites PublicAPI.Unshipped.txt of every packable library from what the build reports (RS0016),
# after an intended change of a public API (including the generated client in TinyFish.Runs).
# Review the diff: every line is a public signature a user may depend on.
#
#   bash .ci/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source .ci/packages.sh
for project in "${packable_projects[@]}"; do
  # The tool has no public API of its own.
  [ "$project" != fake-server/Tool/TinyFish.FakeServer.Tool.csproj ] || continue
  dir=$(dirname "$project")
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  output=$(dotnet build "$project" -c Release -nologo 2>&1 || true)
  symbols=$(grep -F "[$root/$project]" <<<"$output" | sed -n "s/.*error RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" | LC_ALL=C sort -u)
  [ -z "$symbols" ] || printf '%s\n' "$symbols" >> "$dir/PublicAPI.Unshipped.txt"
  others=$(grep -E ' error ' <<<"$output" | grep -v RS0016 | sort -u || true)
  [ -z "$others" ] || { printf '%s\n' "$others" >&2; echo "update-public-api: $project has other errors; fix them first." >&2; exit 1; }
  echo "$project: $(grep -vc '^#' "$dir/PublicAPI.Unshipped.txt") unshipped symbols"
done
