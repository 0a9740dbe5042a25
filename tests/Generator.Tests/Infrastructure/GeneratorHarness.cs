using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TinyFish.Toolkit.Generator;

namespace Generator.Tests.Infrastructure;

/// <summary>An OpenAPI file handed to the generator, with the item metadata a consumer's project would give it.</summary>
internal sealed record SpecInput(string Path, string Text, string? Namespace = "Test.Api", string? ClientName = null, bool MarkedAsClient = true, string? Operations = null);

/// <summary>Runs <see cref="ClientGenerator"/> the way the compiler does, and compiles what it emits.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var runtime = typeof(TinyFish.Toolkit.Runtime.ApiPipeline).Assembly.Location;
        return paths
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll" || name.StartsWith("Microsoft.Extensions.Logging.Abstractions", StringComparison.Ordinal)))
            .Append(runtime)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    public static GeneratorDriver CreateDriver(IEnumerable<SpecInput> specs, string rootNamespace = "Consumer") =>
        CreateDriver(specs, specs.Select(s => (AdditionalText)new InMemoryAdditionalText(s.Path, s.Text)).ToList(), rootNamespace);

    public static GeneratorDriver CreateDriver(IEnumerable<SpecInput> specs, IReadOnlyList<AdditionalText> texts, string rootNamespace = "Consumer", IReadOnlyDictionary<string, string>? buildProperties = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new ClientGenerator().AsSourceGenerator() },
            texts,
            ParseOptions,
            new TestOptionsProvider(specs, rootNamespace, buildProperties),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Generates from <paramref name="specs"/> and returns the run and the compilation with the generated code.</summary>
    public static GenerationResult Generate(params SpecInput[] specs) => Generate(null, specs);

    /// <summary>Like <see cref="Generate(SpecInput[])"/>, with MSBuild properties the generator sees (<c>build_property.X</c>), by name.</summary>
    public static GenerationResult Generate(IReadOnlyDictionary<string, string>? buildProperties, params SpecInput[] specs)
    {
        var compilation = CreateCompilation("namespace Consumer { internal static class Marker { } }");
        var texts = specs.Select(s => (AdditionalText)new InMemoryAdditionalText(s.Path, s.Text)).ToList();
        var driver = CreateDriver(specs, texts, buildProperties: buildProperties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GenerationResult(driver.GetRunResult(), (CSharpCompilation)output, generatorDiagnostics);
    }

    public static SpecInput Spec(string fileName, string? ns = "Test.Api", string? clientName = null) =>
        new(Path.Combine(TestPaths.Specs, fileName), File.ReadAllText(Path.Combine(TestPaths.Specs, fileName)), ns, clientName);
}

internal sealed record GenerationResult(GeneratorDriverRunResult Run, CSharpCompilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public GeneratorRunResult Result => Run.Results.Single();

    public IReadOnlyList<GeneratedSourceResult> Sources => Result.GeneratedSources;

    public string Source(string hintName) => Sources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Errors and warnings of compiling the consumer with the generated code (infos and hidden ones left out).</summary>
    /// <remarks>
    /// The generated files turn nullable warnings off for the consumer's sake (compile time); this compiles them with
    /// warnings on, so a nullable mistake in the output still fails the tests.
    /// </remarks>
    public IReadOnlyList<Diagnostic> CompileProblems() =>
        WithNullableWarnings(Compilation).GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    private const string WarningsOff = "#nullable disable warnings";

    private static CSharpCompilation WithNullableWarnings(CSharpCompilation compilation)
    {
        var trees = compilation.SyntaxTrees.Select(tree =>
        {
            var text = tree.GetText();
            var source = text.ToString();
            var at = source.IndexOf(WarningsOff, StringComparison.Ordinal);
            return at < 0 ? tree : tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(at, WarningsOff.Length), "#nullable enable warnings")));
        }).ToList();
        return compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(trees);
    }

    public IReadOnlyList<Diagnostic> Diagnostics(string id) => Result.Diagnostics.Where(d => d.Id == id).ToList();
}

internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>What MSBuild's editorconfig gives the generator: item metadata per file, RootNamespace globally.</summary>
internal sealed class TestOptionsProvider(IEnumerable<SpecInput> specs, string rootNamespace, IReadOnlyDictionary<string, string>? buildProperties = null) : AnalyzerConfigOptionsProvider
{
    private readonly Dictionary<string, DictionaryOptions> _files = specs.ToDictionary(
        s => s.Path,
        s => new DictionaryOptions(new Dictionary<string, string?>
        {
            ["build_metadata.AdditionalFiles.OpenApiClient"] = s.MarkedAsClient ? "true" : null,
            ["build_metadata.AdditionalFiles.Namespace"] = s.Namespace,
            ["build_metadata.AdditionalFiles.ClientName"] = s.ClientName,
            ["build_metadata.AdditionalFiles.Operations"] = s.Operations,
        }));

    public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(
        (buildProperties ?? new Dictionary<string, string>())
            .Select(p => new KeyValuePair<string, string?>("build_property." + p.Key, p.Value))
            .Append(new("build_property.RootNamespace", rootNamespace))
            .ToDictionary(p => p.Key, p => p.Value));

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        _files.TryGetValue(textFile.Path, out var options) ? options : DictionaryOptions.Empty;

    private sealed class DictionaryOptions(Dictionary<string, string?> values) : AnalyzerConfigOptions
    {
        public static DictionaryOptions Empty { get; } = new(new Dictionary<string, string?>());

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value) && value is not null;
    }
}
