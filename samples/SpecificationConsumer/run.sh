#!/usr/bin/env bash
# The contract checks as a team using the packages runs them in its own CI: a fresh NUnit project
# outside this repository, the TinyFish.Runs.Specification.Tests package from a local feed, a
# three-line fixture, and `dotnet test` against the standalone fake started from the tinyfish-fake
# tool (the nightly job does the same with TINYFISH_BASE_URL pointing at the real API).
#
#   bash samples/SpecificationConsumer/run.sh FEED_DIR TINYFISH_FAKE_COMMAND
#
# .ci/run passes the feed samples/PackageConsumer/run.sh packed and the tool it installed. Fails
# unless every check passes and none is skipped (the fake can force every outcome).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
feed=${1:?usage: run.sh FEED_DIR TINYFISH_FAKE_COMMAND}
fake=${2:?usage: run.sh FEED_DIR TINYFISH_FAKE_COMMAND}
feed=$(cd "$feed" && pwd)
work=$(mktemp -d)
fake_pid=""
cleanup() { rc=$?; [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; wait 2>/dev/null; [ "$rc" -ne 0 ] || rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "specification-consumer: $*" >&2; exit 1; }
version=$(cd "$repo" && dotnet msbuild testkit/TinyFish.Runs.Specification.Tests/TinyFish.Runs.Specification.Tests.csproj -getProperty:Version)
source "$repo/.ci/packages.sh"
central() { sed -n "s/.*PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$repo/Directory.Packages.props"; }

echo "==> a fresh NUnit project in $work/contract (TinyFish.Runs.Specification.Tests $version)"
mkdir -p "$work/contract" && cd "$work/contract"
write_local_nuget_config . "$feed" "$work/packages"
cat > Contract.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <IsTestProject>true</IsTestProject>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="TinyFish.Runs.Specification.Tests" Version="$version" />
    <PackageReference Include="NUnit" Version="$(central NUnit)" />
    <PackageReference Include="NUnit3TestAdapter" Version="$(central NUnit3TestAdapter)" />
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="$(central Microsoft.NET.Test.Sdk)" />
  </ItemGroup>
</Project>
XML
# The whole setup a user writes: the server comes from TINYFISH_BASE_URL / TINYFISH_API_KEY.
cat > TinyFishContract.cs <<'CS'
using NUnit.Framework;
using TinyFish.Runs.Specification;

[TestFixture]
public sealed class TinyFishContract() : RunsApiSpecification(SpecificationServer.FromEnvironment());
CS
dotnet build -c Release -nologo -v:q -clp:NoSummary

echo "==> tinyfish-fake on a free port (50x real time)"
log="$work/fake.log"
"$fake" --urls http://127.0.0.1:0 --api-key spec-key --time-scale 50 >"$log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 150); do grep -q 'listening on http' "$log" && break; sleep 0.2; done
url=$(sed -n 's/.*listening on \(http:[^, ]*\).*/\1/p' "$log" | head -1)
[ -n "$url" ] || { cat "$log"; fail "the fake did not start"; }
echo "$url"

echo "==> dotnet test against it"
output=$(TINYFISH_BASE_URL="$url" TINYFISH_API_KEY=spec-key TINYFISH_CONTRACT_FAKE_URL="$url" TINYFISH_CONTRACT_TIMEOUT_SECONDS=60 \
  dotnet test -c Release --no-build -nologo --filter Category=Contract 2>&1) || { printf '%s\n' "$output"; fail "the specification failed against the tool"; }
printf '%s\n' "$output" | grep -E 'TinyFish runs API specification|Passed!|Failed!|Skipped'
summary=$(grep -E 'Passed!' <<<"$output" | tail -1)
grep -qE 'Skipped: +0,' <<<"$summary" || fail "some checks were skipped: $summary"
grep -qE 'Passed: +[1-9][0-9]*,' <<<"$summary" || fail "no check passed: $summary"
echo "specification-consumer: OK ($summary)"
