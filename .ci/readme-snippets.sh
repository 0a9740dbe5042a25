#!/usr/bin/env bash
# README code blocks compile as shown. Every ```csharp block of README.md whose first line is a
# `using` directive is a complete file as a user would paste it, usings included, and is compiled
# here against the repository's projects (warnings are errors). Blocks that start otherwise are
# fragments of the text around them and are left alone. A block of top-level statements becomes
# the body of a method of its own, so several such blocks build in one project.
#
#   bash .ci/readme-snippets.sh [Configuration]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cfg=${1:-Release}
work="$root/artifacts/readme-snippets"
rm -rf "$work"
mkdir -p "$work"

node - "$root/README.md" "$work" <<'JS'
const fs = require("fs");
const [readme, out] = process.argv.slice(2);
const text = fs.readFileSync(readme, "utf8");
const blocks = [...text.matchAll(/```csharp\n([\s\S]*?)```/g)].map(m => m[1]);
let count = 0;
blocks.forEach((block, i) => {
  const lines = block.split("\n");
  if (!/^using [A-Za-z][\w.]*;\s*$/.test(lines[0])) return;
  const usings = [], rest = [];
  let header = true;
  for (const line of lines) {
    if (header && (/^using [A-Za-z][\w.]*;/.test(line) || line.trim() === "")) { usings.push(line); continue; }
    header = false;
    rest.push(line);
  }
  const body = rest.join("\n");
  // Type declarations stay as they are; statements become a method's body.
  const declaresTypes = /^(\[[^\]]*\]\s*)*(public |internal )?(sealed |abstract |static |partial )*(class|record|struct|interface) /m.test(body);
  const source = declaresTypes
    ? block
    : `${usings.join("\n")}\n\ninternal static class ReadmeBlock${i}\n{\n    public static async System.Threading.Tasks.Task RunAsync()\n    {\n${rest.map(l => "        " + l).join("\n")}\n        await System.Threading.Tasks.Task.CompletedTask;\n    }\n}\n`;
  fs.writeFileSync(`${out}/ReadmeBlock${i}.cs`, `// README.md, csharp block ${i + 1}\n${source}`);
  count++;
});
console.log(`${count} of ${blocks.length} csharp blocks are complete files`);
if (count === 0) process.exit(1);
JS

cat > "$work/ReadmeSnippets.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <IsPackable>false</IsPackable>
    <!-- The blocks are a user's code, not a library's public API. -->
    <GenerateDocumentationFile>false</GenerateDocumentationFile>
    <!-- Statements that never await are still valid snippets. -->
    <NoWarn>\$(NoWarn);CS1998</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/runtime/Runs/TinyFish.Runs.csproj" />
    <ProjectReference Include="$root/testkit/TinyFish.Runs.Testing/TinyFish.Runs.Testing.csproj" />
    <ProjectReference Include="$root/testkit/TinyFish.Runs.Specification.Tests/TinyFish.Runs.Specification.Tests.csproj" />
    <ProjectReference Include="$root/fake-server/TinyFish.FakeServer.csproj" />
    <PackageReference Include="NUnit" />
    <PackageReference Include="OpenTelemetry" />
    <PackageReference Include="OpenTelemetry.Exporter.Console" />
  </ItemGroup>
</Project>
XML
dotnet build "$work/ReadmeSnippets.csproj" -c "$cfg" -nologo -v:q -clp:NoSummary
echo "readme-snippets: every complete csharp block of README.md compiles"
