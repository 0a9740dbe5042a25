#!/usr/bin/env bash
# Packs TinyFish.Toolkit.Generator and TinyFish.Toolkit.Runtime into a local folder feed, checks what
# the packages hold, then does what a new user does: `dotnet new console` in an empty folder outside
# this repository, a nuget.config adding the local feed, two PackageReferences, one OpenApiClient
# item for a petstore spec, build (warnings as errors) and run. Fails on any difference.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${CONSUMER_WORK:-$(mktemp -d)}"
# A temporary folder is removed when everything passed; kept for a look when not.
[ -n "${CONSUMER_WORK:-}" ] || trap 'rc=$?; [ "$rc" -ne 0 ] || rm -rf "$work"' EXIT
feed="$work/feed"
app="$work/consumer"
mkdir -p "$feed" "$app"
start=$(date +%s)

echo "==> pack into $feed"
dotnet pack "$repo/generator/TinyFish.Toolkit.Generator.csproj" -c Release -o "$feed" -nologo -v:q -clp:NoSummary
dotnet pack "$repo/runtime/Runtime/TinyFish.Toolkit.Runtime.csproj" -c Release -o "$feed" -nologo -v:q -clp:NoSummary
version=$(cd "$repo" && dotnet msbuild generator/TinyFish.Toolkit.Generator.csproj -getProperty:Version)
runtime_version=$(cd "$repo" && dotnet msbuild runtime/Runtime/TinyFish.Toolkit.Runtime.csproj -getProperty:Version)
generator_pkg="$feed/TinyFish.Toolkit.Generator.$version.nupkg"
runtime_pkg="$feed/TinyFish.Toolkit.Runtime.$runtime_version.nupkg"
ls -l "$generator_pkg" "$runtime_pkg"

fail() { echo "package-consumer: $*" >&2; exit 1; }

echo "==> package contents"
unzip -l "$generator_pkg"
listing() { unzip -Z1 "$1" | grep -v -E '^(_rels/|package/|\[Content_Types\]\.xml$|[^/]*\.nuspec$)' | sort; }
expected_generator=$(printf '%s\n' \
  analyzers/dotnet/cs/Microsoft.OpenApi.YamlReader.dll \
  analyzers/dotnet/cs/Microsoft.OpenApi.dll \
  analyzers/dotnet/cs/SharpYaml.dll \
  analyzers/dotnet/cs/TinyFish.Toolkit.Generator.dll \
  build/TinyFish.Toolkit.Generator.props \
  build/TinyFish.Toolkit.Generator.targets \
  buildTransitive/TinyFish.Toolkit.Generator.props \
  buildTransitive/TinyFish.Toolkit.Generator.targets \
  docs/diagnostics.md | sort)
[ "$(listing "$generator_pkg")" = "$expected_generator" ] || { listing "$generator_pkg"; fail "the generator package must hold exactly the files listed in this script"; }
nuspec=$(unzip -p "$generator_pkg" TinyFish.Toolkit.Generator.nuspec)
grep -q '<developmentDependency>true</developmentDependency>' <<<"$nuspec" || fail "the generator package is not a development dependency"
! grep -q '<dependency ' <<<"$nuspec" || fail "the generator package must not bring package dependencies"
unzip -l "$runtime_pkg"
[ "$(listing "$runtime_pkg")" = "$(printf '%s\n' lib/net10.0/TinyFish.Toolkit.Runtime.dll lib/net10.0/TinyFish.Toolkit.Runtime.xml)" ] || fail "unexpected files in the runtime package"
unzip -p "$runtime_pkg" TinyFish.Toolkit.Runtime.nuspec | grep -q 'id="Polly.Core"' || fail "the runtime package does not declare its dependencies"

echo "==> fresh consumer in $app (generator $version, runtime $runtime_version)"
cd "$app"
dotnet new console -n Consumer -o . --framework net10.0 --no-restore >/dev/null
cp "$repo/tests/Generator.Tests/Specs/petstore.openapi.yaml" petstore.yaml
# The local feed beside the sources already configured (nuget.org or its mirror); a private packages
# folder so a previously cached build of the same version is never used.
cat > nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
XML
cat > Consumer.csproj <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="TinyFish.Toolkit.Generator" Version="$version" />
    <PackageReference Include="TinyFish.Toolkit.Runtime" Version="$runtime_version" />
    <OpenApiClient Include="petstore.yaml" Namespace="Consumer" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using System.Net;
using System.Text;
using Consumer;
using TinyFish.Toolkit.Runtime;

// PetstoreClient was generated at build time from petstore.yaml; the answers come from memory.
using var client = new PetstoreClient(
    new ApiClientOptions { BaseAddress = new Uri("https://pets.example.com/api/"), ApiKey = "token" },
    new HttpClient(new CannedPets()));

await foreach (var pet in client.Pets.ListPetsAllAsync(pageSize: 2))
{
    Console.WriteLine(pet switch
    {
        Cat cat => $"cat {cat.Name} indoor={cat.Indoor}",
        Dog dog => $"dog {dog.Name} toys={string.Join('+', dog.FavouriteToys ?? [])}",
        UnknownPet other => $"unknown pet kind '{other.Discriminator}' kept: {other.Json.GetProperty("name")}",
        _ => "other " + pet.PetType,
    });
}
var order = await client.Store.PlaceOrderAsync(new Order { Id = Guid.Parse("00000000-0000-0000-0000-000000000042"), Status = new OrderStatus("backordered"), Price = 12.50m });
Console.WriteLine($"order {order.Status} known={order.Status.IsKnown} price={order.Price}");

sealed class CannedPets : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization?.ToString() != "Bearer token") return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        var url = request.RequestUri!.PathAndQuery;
        var json = url switch
        {
            "/api/pets?page_size=2" => """{"pets":[{"petType":"cat","id":1,"name":"Tom","indoor":true},{"petType":"dog","id":2,"name":"Rex","favouriteToys":["ball","rope"]}],"paging":{"continue_from":"p2"}}""",
            "/api/pets?after=p2&page_size=2" => """{"pets":[{"petType":"hamster","id":3,"name":"Hammy"}],"paging":{"continue_from":null}}""",
            "/api/store/orders" => await request.Content!.ReadAsStringAsync(cancellationToken),
            _ => throw new InvalidOperationException("unexpected request " + url),
        };
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
CS

echo "==> dotnet build (as the user would, warnings as errors)"
dotnet build -c Release -nologo -v:q -clp:NoSummary
echo "==> dotnet run"
output=$(dotnet run -c Release --no-build)
printf '%s\n' "$output"
expected='cat Tom indoor=True
dog Rex toys=ball+rope
unknown pet kind '"'"'hamster'"'"' kept: Hammy
order backordered known=False price=12.50'
[ "$output" = "$expected" ] || fail "the consumer printed something else; expected:
$expected"
echo "==> a broken spec: a located TFG error in the build output, never a crashed generator"
printf 'openapi: 3.1.0\ninfo:\n  title: Broken\n  version: "1"\npaths:\n  /things: [unclosed\n' > broken.yaml
sed -i 's|<OpenApiClient Include="petstore.yaml" Namespace="Consumer" />|&\n    <OpenApiClient Include="broken.yaml" Namespace="Broken" />|' Consumer.csproj
if broken_output=$(dotnet build -c Release -nologo -v:q -clp:NoSummary 2>&1); then
  fail "the build with a broken spec succeeded"
fi
printf '%s\n' "$broken_output" | grep -E 'broken\.yaml\([0-9]+,[0-9]+\): error TFG0001' | head -1 \
  || fail "no located TFG0001 for broken.yaml in the build output:
$broken_output"
if grep -q 'CS8785' <<<"$broken_output"; then fail "the generator crashed (CS8785) on a broken spec"; fi
echo "package-consumer: OK in $(( $(date +%s) - start )) s (packages $version from $feed)"
