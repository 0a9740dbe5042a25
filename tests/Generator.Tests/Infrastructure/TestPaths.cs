using System.Runtime.CompilerServices;

namespace Generator.Tests.Infrastructure;

/// <summary>Folders of the test sources (specs, baselines) and of the repository.</summary>
internal static class TestPaths
{
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(ThisFile())!.Replace("Infrastructure", "").TrimEnd(Path.DirectorySeparatorChar);

    public static string Specs => Path.Combine(ProjectDirectory, "Specs");

    public static string Corpus => Path.Combine(ProjectDirectory, "Corpus");

    public static string Baselines => Path.Combine(ProjectDirectory, "Baselines");

    public static string RunsSpec => Path.GetFullPath(Path.Combine(ProjectDirectory, "..", "..", "openapi", "tinyfish-runs.openapi.yaml"));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
