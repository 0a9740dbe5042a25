# Shared by the scripts that pack the repository or consume its packages (sourced, not run).

# Every packable project, in dependency order (a library builds only when the ones it references do).
packable_projects=(
  generator/TinyFish.Toolkit.Generator.csproj
  runtime/Runtime/TinyFish.Toolkit.Runtime.csproj
  runtime/Runs/TinyFish.Runs.csproj
  fake-server/TinyFish.FakeServer.csproj
  testkit/TinyFish.Runs.Testing/TinyFish.Runs.Testing.csproj
  testkit/TinyFish.Runs.Specification.Tests/TinyFish.Runs.Specification.Tests.csproj
  fake-server/Tool/TinyFish.FakeServer.Tool.csproj
)

# write_local_nuget_config DIR FEED PACKAGES: a nuget.config in DIR adding the local FEED beside the
# sources already configured (nuget.org or its mirror), with a private packages folder PACKAGES so
# a build cached earlier under the same version is never used.
write_local_nuget_config() {
  cat > "$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$3" />
  </config>
  <packageSources>
    <add key="local" value="$2" />
  </packageSources>
</configuration>
XML
}
