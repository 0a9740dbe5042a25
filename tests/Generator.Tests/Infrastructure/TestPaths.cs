namespace Generator.Tests.Infrastructure;

/// <summary>Folders of the test sources (specs, baselines) and of the repository.</summary>
internal static class TestPaths
{
    /// <summary>
    /// The repository root, found by walking up from the test assembly's folder to <c>Toolkit.sln</c>.
    /// Not from <c>[CallerFilePath]</c>: a CI build (<c>CI=true</c> → <c>ContinuousIntegrationBuild</c>)
    /// maps source paths to <c>/_/</c>, which exists on no disk.
    /// </summary>
    public static string Repository { get; } = FindRepository(AppContext.BaseDirectory);

    public static string ProjectDirectory => Path.Combine(Repository, "tests", "Generator.Tests");

    public static string Specs => Path.Combine(ProjectDirectory, "Specs");

    public static string Corpus => Path.Combine(ProjectDirectory, "Corpus");

    public static string Baselines => Path.Combine(ProjectDirectory, "Baselines");

    public static string RunsSpec => Path.Combine(Repository, "openapi", "tinyfish-runs.openapi.yaml");

    private static string FindRepository(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Toolkit.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Toolkit.sln in '{start}' or any folder above it: the generator tests run from the repository's build output.");
    }
}
