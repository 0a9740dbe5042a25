using System.Diagnostics;
using Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Generator.Tests;

/// <summary>
/// Runs the generator on every public spec under Corpus/ (see Corpus/SOURCES.md): no exception, no
/// TFG0004, every diagnostic located in the spec file, and the generated code compiles against the
/// runtime with no error and no warning (a spec nothing can be generated from must say why with an
/// error diagnostic). Set CORPUS_DUMP=&lt;folder&gt; to write each spec's generated files and diagnostics there. The four multi-megabyte specs are in the Corpus.Large category (they still run
/// with every other test; the category only lets a developer leave them out locally).
/// </summary>
public sealed class CorpusTests
{
    private const string LargeCategory = "Corpus.Large";

    /// <summary>Specs of a megabyte or more: each takes tens of seconds to generate and compile on two cores.</summary>
    private const long LargeFileBytes = 1_000_000;

    public static IEnumerable<TestCaseData> Files()
    {
        var files = Directory.GetFiles(TestPaths.Corpus)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var data = new TestCaseData(Path.GetFileName(path)).SetName("Corpus_" + Path.GetFileName(path));
            if (new FileInfo(path).Length >= LargeFileBytes) data.SetCategory(LargeCategory);
            yield return data;
        }
    }

    [TestCaseSource(nameof(Files))]
    public void Spec_generates_code_that_compiles_cleanly_and_only_located_diagnostics(string fileName)
    {
        var path = Path.Combine(TestPaths.Corpus, fileName);
        var spec = new SpecInput(path, File.ReadAllText(path), "Corpus.Api");

        var generation = Stopwatch.StartNew();
        var result = GeneratorHarness.Generate(spec);
        generation.Stop();
        var compilation = Stopwatch.StartNew();
        var compileProblems = result.CompileProblems();
        var compileErrors = compileProblems.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        compilation.Stop();

        var generatorDiagnostics = result.Result.Diagnostics;
        if (Environment.GetEnvironmentVariable("CORPUS_DUMP") is { } dump)
        {
            var dir = Path.Combine(dump, fileName);
            Directory.CreateDirectory(dir);
            foreach (var s in result.Sources) File.WriteAllText(Path.Combine(dir, s.HintName), s.SourceText.ToString());
            File.WriteAllLines(Path.Combine(dir, "_diagnostics.txt"), generatorDiagnostics.Select(d => d.ToString()).Concat(compileProblems.Select(d => d.ToString())));
        }
        TestContext.Out.WriteLine(
            $"{fileName}: generated {result.Sources.Count} files ({result.Sources.Sum(s => s.SourceText.Length):N0} chars) in {generation.Elapsed.TotalSeconds:F1} s, compiled in {compilation.Elapsed.TotalSeconds:F1} s ({compileErrors.Count} errors, {compileProblems.Count - compileErrors.Count} warnings); "
            + string.Join(", ", generatorDiagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} × {g.Count()}")));

        Assert.Multiple(() =>
        {
            AssertGeneratedCleanly(result, path, compileProblems);
            Assert.That(result.GeneratorDiagnostics.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal)).Select(d => d.ToString()), Is.Empty, "the driver reported the generator as failed");
            if (result.Sources.Count == 0)
            {
                Assert.That(generatorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Not.Empty, "no code and no error saying why");
            }
        });
    }

    /// <summary>
    /// Every GET operation (<c>GET /*</c>), as an <c>Operations</c> item selects them: the
    /// types they reach, and the unions of variants they reach, make a client that compiles cleanly.
    /// </summary>
    [TestCaseSource(nameof(Files))]
    public void Selected_operations_of_a_spec_generate_code_that_compiles_cleanly(string fileName)
    {
        var path = Path.Combine(TestPaths.Corpus, fileName);
        var spec = new SpecInput(path, File.ReadAllText(path), "Corpus.Api", Operations: "GET /*");

        var result = GeneratorHarness.Generate(spec);

        var generatorDiagnostics = result.Result.Diagnostics;
        TestContext.Out.WriteLine($"{fileName}, GET /*: generated {result.Sources.Count} files ({result.Sources.Sum(s => s.SourceText.Length):N0} chars); "
            + string.Join(", ", generatorDiagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} × {g.Count()}")));
        Assert.Multiple(() => AssertGeneratedCleanly(result, path, result.CompileProblems()));
    }

    /// <summary>No exception, no TFG0004, every diagnostic located in the spec, and output that compiles with no error or warning.</summary>
    private static void AssertGeneratedCleanly(GenerationResult result, string path, IReadOnlyList<Diagnostic> compileProblems)
    {
        var generatorDiagnostics = result.Result.Diagnostics;
        Assert.That(result.Result.Exception, Is.Null, "the generator threw");
        Assert.That(generatorDiagnostics.Where(d => d.Id == "TFG0004").Select(d => d.ToString()), Is.Empty, "unexpected failure inside the generator");
        Assert.That(generatorDiagnostics.Where(d => !IsLocatedIn(d, path)).Select(d => d.ToString()), Is.Empty, "every generator diagnostic points into the spec file");
        Assert.That(compileProblems.Take(20).Select(d => d.ToString()), Is.Empty, "the generated code does not compile with zero errors and zero warnings");
    }

    private static bool IsLocatedIn(Diagnostic diagnostic, string path)
    {
        var span = diagnostic.Location.GetLineSpan();
        return diagnostic.Location.Kind == LocationKind.ExternalFile && span.IsValid && span.Path == path;
    }
}
