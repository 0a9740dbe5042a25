using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TinyFish.Toolkit.Generator;

/// <summary>
/// The generator on a small, a 2.5 MB and the 13 MB corpus spec, as the compiler runs it: a first
/// build (read, parse, build the model, emit every file) and a rebuild after an unrelated C# edit,
/// which the incremental pipeline should answer from its cache. Compiling the emitted code is not
/// measured (that is the C# compiler's cost, not the generator's).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _editedCompilation = null!;
    private AdditionalText _spec = null!;
    private GeneratorDriver _warmDriver = null!;

    [Params("petstore-expanded.3.0.yaml", "stripe.3.0.json", "github-webhooks.3.1.json", "github-rest.3.0.json")]
    public string Spec { get; set; } = "";

    [GlobalSetup]
    public void SetUp()
    {
        var path = Path.Combine(CorpusFolder(), Spec);
        _spec = new FileText(path, File.ReadAllText(path));
        _compilation = CSharpCompilation.Create(
            "Consumer",
            new[] { CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Marker { } }", ParseOptions) },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _editedCompilation = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Edit { } }", ParseOptions));
        _warmDriver = CreateDriver().RunGenerators(_compilation);
        var generated = _warmDriver.GetRunResult().Results.Single();
        if (generated.Exception is not null || generated.GeneratedSources.IsEmpty)
        {
            throw new InvalidOperationException("The generator produced nothing for " + Spec + ": " + generated.Exception);
        }
    }

    [Benchmark(Description = "First build: parse + emit")]
    public int FirstBuild() => CreateDriver().RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "Rebuild after an unrelated C# edit")]
    public int RebuildAfterCSharpEdit() => _warmDriver.RunGenerators(_editedCompilation).GetRunResult().GeneratedTrees.Length;

    private GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new ClientGenerator().AsSourceGenerator() },
            new[] { _spec },
            ParseOptions,
            new ClientItemOptions(_spec.Path),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    // BenchmarkDotNet runs a copy of this assembly from a folder under its own output, still inside the
    // repository, so the corpus is found by walking up to Toolkit.sln. Not [CallerFilePath]: a CI build
    // (ContinuousIntegrationBuild) maps source paths to /_/.
    private static string CorpusFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Toolkit.sln")))
            {
                return Path.Combine(folder.FullName, "tests", "Generator.Tests", "Corpus");
            }
        }

        throw new InvalidOperationException($"No Toolkit.sln above '{AppContext.BaseDirectory}': run the benchmarks from the repository.");
    }

    private sealed class FileText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>What MSBuild gives the generator for an OpenApiClient item.</summary>
    private sealed class ClientItemOptions(string specPath) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Item = new(new Dictionary<string, string>
        {
            ["build_metadata.AdditionalFiles.OpenApiClient"] = "true",
            ["build_metadata.AdditionalFiles.Namespace"] = "Corpus.Api",
        });

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string> { ["build_property.RootNamespace"] = "Consumer" });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => textFile.Path == specPath ? Item : Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static Options Empty { get; } = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}
