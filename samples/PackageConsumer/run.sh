#!/usr/bin/env bash
# Packs every package of the repository (the five libraries, the specification tests and the
# tinyfish-fake tool) into a local
# folder feed, checks their version, metadata and contents, then does what a new user does:
# `dotnet new console` in an empty folder outside this repository, a nuget.config adding the local
# feed, the five PackageReferences, one OpenApiClient item for a petstore spec, build (warnings as
# errors) and run: a generated petstore client on canned answers, and TinyFish.Runs against the
# in-process fake. Fails on any difference. CONSUMER_WORK=DIR keeps the feed (DIR/feed) for later steps.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${CONSUMER_WORK:-$(mktemp -d)}"
# A temporary folder is removed when everything passed; kept for a look when not.
[ -n "${CONSUMER_WORK:-}" ] || trap 'rc=$?; [ "$rc" -ne 0 ] || rm -rf "$work"' EXIT
feed="$work/feed"
app="$work/consumer"
mkdir -p "$feed" "$app"
start=$(date +%s)

fail() { echo "package-consumer: $*" >&2; exit 1; }

source "$repo/.ci/packages.sh"
echo "==> pack into $feed"
for project in "${packable_projects[@]}"; do
  # Pack warnings (a missing readme, license...) are errors here as everywhere.
  dotnet pack "$repo/$project" -c Release -o "$feed" -nologo -v:q -clp:NoSummary -warnaserror
done
version=$(cd "$repo" && dotnet msbuild generator/TinyFish.Toolkit.Generator.csproj -getProperty:Version)
ids=(TinyFish.Toolkit.Generator TinyFish.Toolkit.Runtime TinyFish.Runs TinyFish.FakeServer TinyFish.Runs.Testing TinyFish.Runs.Specification.Tests TinyFish.FakeServer.Tool)
[ "$(cd "$feed" && ls -1 *.nupkg | sort)" = "$(printf '%s.'"$version"'.nupkg\n' "${ids[@]}" | sort)" ] \
  || { ls -1 "$feed"; fail "expected exactly ${ids[*]} at one version ($version) in the feed"; }
generator_pkg="$feed/TinyFish.Toolkit.Generator.$version.nupkg"
runtime_pkg="$feed/TinyFish.Toolkit.Runtime.$version.nupkg"
ls -l "$feed"

echo "==> package metadata: readme, license, project and repository URLs, symbols"
for id in "${ids[@]}"; do
  pkg="$feed/$id.$version.nupkg"
  meta=$(unzip -p "$pkg" "$id.nuspec")
  for field in '<readme>README.md</readme>' '<license type="expression">MIT</license>' '<projectUrl>https://' '<repository type="git" url="https://'; do
    grep -qF "$field" <<<"$meta" || fail "$id: the nuspec has no $field"
  done
  unzip -p "$pkg" README.md | grep -q "^# $id\$" || fail "$id: the package readme does not start with '# $id'"
  # The generator's PDB is embedded in its dll (an analyzer has no lib/ for a .snupkg to pair with).
  [ "$id" = TinyFish.Toolkit.Generator ] || [ -f "$feed/$id.$version.snupkg" ] || fail "$id: no symbols package"
  echo "ok: $id $version"
done
unzip -p "$feed/TinyFish.FakeServer.Tool.$version.nupkg" TinyFish.FakeServer.Tool.nuspec | grep -q '<packageType name="DotnetTool" />' \
  || fail "TinyFish.FakeServer.Tool is not a .NET tool package"

echo "==> package contents"
unzip -l "$generator_pkg"
listing() { unzip -Z1 "$1" | grep -v -E '^(_rels/|package/|\[Content_Types\]\.xml$|[^/]*\.nuspec$)' | sort; }
expected_generator=$(printf '%s\n' \
  README.md \
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
[ "$(listing "$runtime_pkg")" = "$(printf '%s\n' README.md lib/net10.0/TinyFish.Toolkit.Runtime.dll lib/net10.0/TinyFish.Toolkit.Runtime.xml)" ] || fail "unexpected files in the runtime package"
unzip -p "$runtime_pkg" TinyFish.Toolkit.Runtime.nuspec | grep -q 'id="Polly.Core"' || fail "the runtime package does not declare its dependencies"

echo "==> fresh consumer in $app (packages $version)"
cd "$app"
dotnet new console -n Consumer -o . --framework net10.0 --no-restore >/dev/null
cp "$repo/tests/Generator.Tests/Specs/petstore.openapi.yaml" petstore.yaml
write_local_nuget_config . "$feed" "$work/packages"
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
    <PackageReference Include="TinyFish.Toolkit.Generator" Version="$version" PrivateAssets="all" />
    <PackageReference Include="TinyFish.Toolkit.Runtime" Version="$version" />
    <PackageReference Include="TinyFish.Runs" Version="$version" />
    <PackageReference Include="TinyFish.FakeServer" Version="$version" />
    <PackageReference Include="TinyFish.Runs.Testing" Version="$version" />
    <!-- Only what Program.cs calls; the ';' checks that the package's targets pass every entry to the generator. -->
    <OpenApiClient Include="petstore.yaml" Namespace="Consumer" Operations="listPets;placeOrder" />
  </ItemGroup>
</Project>
XML
cat > Program.cs <<'CS'
using System.Net;
using System.Text;
using Consumer;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
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
Console.WriteLine($"getPet generated={typeof(PetstoreClient).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Any(m => m.Name == "GetPetAsync")}");

// TinyFish.Runs against the in-process fake (TinyFish.FakeServer), wired by TinyFish.Runs.Testing.
await using var fake = new FakeTinyFish();
fake.Runs.WhenGoalContains("price").CompletesAfter(TimeSpan.FromSeconds(5)).WithResult("""{"price":"12.50"}""");
using var runs = fake.CreateClient();
var queued = await runs.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://shop.example"), Goal = "Find the price" });
await fake.AdvanceAsync(TimeSpan.FromSeconds(10));
Console.WriteLine($"run {RunOutcome.From(await runs.Runs.GetRunAsync(queued.RunId!)).GetType().Name}");

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
order backordered known=False price=12.50
getPet generated=False
run Succeeded'
[ "$output" = "$expected" ] || fail "the consumer printed something else; expected:
$expected"
echo "==> a broken spec: a located TFG error in the build output, never a crashed generator"
printf 'openapi: 3.1.0\ninfo:\n  title: Broken\n  version: "1"\npaths:\n  /things: [unclosed\n' > broken.yaml
sed -i 's|<OpenApiClient Include="petstore.yaml" Namespace="Consumer" Operations="listPets;placeOrder" />|&\n    <OpenApiClient Include="broken.yaml" Namespace="Broken" />|' Consumer.csproj
grep -q 'broken.yaml' Consumer.csproj || fail "the broken spec was not added to Consumer.csproj"
if broken_output=$(dotnet build -c Release -nologo -v:q -clp:NoSummary 2>&1); then
  fail "the build with a broken spec succeeded"
fi
printf '%s\n' "$broken_output" | grep -E 'broken\.yaml\([0-9]+,[0-9]+\): error TFG0001' | head -1 \
  || fail "no located TFG0001 for broken.yaml in the build output:
$broken_output"
if grep -q 'CS8785' <<<"$broken_output"; then fail "the generator crashed (CS8785) on a broken spec"; fi
echo "package-consumer: OK in $(( $(date +%s) - start )) s (packages $version from $feed)"
