#!/usr/bin/env bash
# The benchmarks' one command (docs/benchmarks.md explains what each measures and how to read it).
#   bash benchmarks/run.sh [--short] [--rounds N] [client|fake|all] [-- extra BenchmarkDotNet options]
# --short: 3 warm-ups and 5 iterations per variant, one round (client ~4 min, fake ~11 min on 2 cores).
# Default: 15 iterations, 3 rounds, every variant run in turn each round; the summary per project
# (median over rounds, lowest-highest round, ratio to the category's baseline) is printed at the end
# and written to artifacts/benchmarks/<project>/results/<project>-rounds.md.
set -euo pipefail
cd "$(dirname "$0")/.."
short=""; rounds=3; which=all; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=--short; rounds=1 ;;
    --rounds) rounds="$2"; shift ;;
    client|fake|all) which="$1" ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
# BenchmarkDotNet refuses an option given twice: '*' and our artifacts folder only when not given after --.
filter=(--filter '*'); artifacts=yes
for arg in "${extra[@]}"; do
  case "$arg" in
    --filter) filter=() ;;
    --artifacts) artifacts="" ;;
  esac
done
run() {
  local project=$1
  dotnet build "benchmarks/$project/$project.csproj" -c Release -nologo -v quiet
  dotnet "benchmarks/$project/bin/Release/net10.0/$project.dll" $short --rounds "$rounds" \
    "${filter[@]}" ${artifacts:+--artifacts "artifacts/benchmarks/$project"} "${extra[@]}"
}
if [ "$which" != fake ]; then run Client.Benchmarks; fi
if [ "$which" != client ]; then run FakeServer.Benchmarks; fi
