using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>Every spec's generated code compiles against the runtime with no error and no warning.</summary>
public sealed class ClientGeneratorCompilationTests
{
    public static IEnumerable<string> SpecFiles() =>
        Directory.GetFiles(TestPaths.Specs).Select(Path.GetFileName).Where(n => n!.Contains(".openapi.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(SpecFiles))]
    public void Generated_code_compiles_with_no_warning(string fileName)
    {
        var result = GeneratorHarness.Generate(GeneratorHarness.Spec(fileName));

        Assert.That(result.Result.Exception, Is.Null);
        Assert.That(result.Sources, Is.Not.Empty);
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
    }

    [Test]
    public void Runs_spec_generates_code_that_compiles_with_no_warning_and_no_generator_diagnostic()
    {
        var result = GeneratorHarness.Generate(new SpecInput(TestPaths.RunsSpec, File.ReadAllText(TestPaths.RunsSpec), "TinyFish.Runs", "TinyFishClient"));

        Assert.That(result.Result.Exception, Is.Null);
        Assert.That(result.Result.Diagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()), Is.Empty);
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
    }
}
