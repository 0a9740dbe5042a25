using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// Pins the generated source of each spec in Baselines/&lt;case&gt;/&lt;hint&gt;.cs.txt. After an intended
/// change run the tests with UPDATE_BASELINES=1 and review the baseline diff.
/// </summary>
public sealed class ClientGeneratorBaselineTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("Petstore", "petstore.openapi.yaml", "Test.Api", null).SetName("Baseline_Petstore");
        yield return new TestCaseData("Names", "names.openapi.json", "Test.Api", null).SetName("Baseline_Names");
        yield return new TestCaseData("Inventory", "inventory.openapi.yaml", "Test.Api", null).SetName("Baseline_Inventory");
        yield return new TestCaseData("Unions", "unions.openapi.yaml", "Test.Checkout", null).SetName("Baseline_Unions");
        yield return new TestCaseData("Parameters", "parameters.openapi.yaml", "Test.Parameters", null).SetName("Baseline_Parameters");
        yield return new TestCaseData("TinyFishRuns", TestPaths.RunsSpec, "TinyFish.Runs", "TinyFishClient").SetName("Baseline_TinyFishRuns");
    }

    [TestCaseSource(nameof(Cases))]
    public void Generated_source_matches_the_baseline(string name, string spec, string ns, string? clientName)
    {
        var path = Path.IsPathRooted(spec) ? spec : Path.Combine(TestPaths.Specs, spec);
        var result = GeneratorHarness.Generate(new SpecInput(path, File.ReadAllText(path), ns, clientName));
        var generated = result.Sources.ToDictionary(s => s.HintName + ".txt", s => WithoutGeneratorVersion(Normalize(s.SourceText.ToString())));
        var directory = Path.Combine(TestPaths.Baselines, name);

        if (Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1")
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            foreach (var (file, text) in generated) File.WriteAllText(Path.Combine(directory, file), text);
            Assert.Pass("Baselines written to " + directory);
        }

        Assert.That(Directory.Exists(directory), "No baselines for " + name + "; run the tests with UPDATE_BASELINES=1 once.");
        var expected = Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f)!, f => Normalize(File.ReadAllText(f)));
        Assert.That(generated.Keys.Order(StringComparer.Ordinal), Is.EqualTo(expected.Keys.Order(StringComparer.Ordinal)), "Generated files differ from the baseline files (UPDATE_BASELINES=1 refreshes them).");
        Assert.Multiple(() =>
        {
            foreach (var (file, text) in generated)
            {
                Assert.That(text, Is.EqualTo(expected[file]), file + " differs from its baseline (UPDATE_BASELINES=1 refreshes it).");
            }
        });
    }

    [Test]
    public void Generating_twice_gives_the_same_bytes()
    {
        var first = GeneratorHarness.Generate(GeneratorHarness.Spec("petstore.openapi.yaml")).Sources.Select(s => s.SourceText.ToString()).ToList();
        var second = GeneratorHarness.Generate(GeneratorHarness.Spec("petstore.openapi.yaml")).Sources.Select(s => s.SourceText.ToString()).ToList();

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Generated_source_names_the_generator_version()
    {
        var source = GeneratorHarness.Generate(GeneratorHarness.Spec("petstore.openapi.yaml")).Sources.First().SourceText.ToString();

        Assert.That(source, Does.Contain(GeneratedCodeOf(GeneratorVersion)));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    /// <summary>
    /// The baselines say <c>{GeneratorVersion}</c> where the code names the generator's version, so a
    /// version bump changes no baseline; the test above checks the real version is there.
    /// </summary>
    private static string WithoutGeneratorVersion(string text) =>
        text.Replace(GeneratedCodeOf(GeneratorVersion), GeneratedCodeOf("{GeneratorVersion}"), StringComparison.Ordinal);

    private static string GeneratedCodeOf(string version) => $"GeneratedCode(\"TinyFish.Toolkit.Generator\", \"{version}\")";

    private static readonly string GeneratorVersion =
        typeof(TinyFish.Toolkit.Generator.ClientGenerator).Assembly.GetName().Version!.ToString();
}
