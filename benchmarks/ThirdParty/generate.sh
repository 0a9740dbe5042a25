#!/usr/bin/env bash
# Regenerates the third-party clients of openapi/tinyfish-runs.openapi.yaml that the client
# benchmarks compare against: NSwag 14.7.1 (System.Text.Json) and Kiota 1.38.0, both dotnet tools
# pinned in dotnet-tools.json beside this script. Their output is checked in (NSwag/, Kiota/) as
# produced, unedited: it is third-party generated code, not this repository's.
set -euo pipefail
cd "$(dirname "$0")"
spec=../../openapi/tinyfish-runs.openapi.yaml
dotnet tool restore
dotnet nswag openapi2csclient /input:"$spec" /classname:NSwagRunsClient /namespace:NSwagClient \
  /output:NSwag/NSwagRunsClient.g.cs /JsonLibrary:SystemTextJson /UseBaseUrl:false /GenerateOptionalParameters:true
dotnet kiota generate -l CSharp -d "$spec" -c KiotaRunsClient -n KiotaClient -o Kiota \
  --exclude-backward-compatible --clean-output
rm -f Kiota/.kiota.log
