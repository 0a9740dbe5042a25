using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;

namespace Generator.Tests.Infrastructure;

/// <summary>The generated code of one spec, compiled and loaded into a collectible context so tests can run it.</summary>
internal sealed class GeneratedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context = new("generated", isCollectible: true);

    public GeneratedAssembly(SpecInput spec)
    {
        var result = Generation = GeneratorHarness.Generate(spec);
        using var stream = new MemoryStream();
        var emit = result.Compilation.Emit(stream);
        if (!emit.Success) throw new InvalidOperationException(string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        Assembly = _context.LoadFromStream(stream);
        Namespace = spec.Namespace!;
    }

    /// <summary>The generator's run that produced the assembly: its diagnostics, without generating again.</summary>
    public GenerationResult Generation { get; }

    public Assembly Assembly { get; }

    /// <summary>
    /// The client generated from Specs/unions.openapi.yaml, compiled once for the test classes that read it (each
    /// compile takes seconds); it stays loaded until the test process ends.
    /// </summary>
    public static GeneratedAssembly Checkout => s_checkout.Value;

    private static readonly Lazy<GeneratedAssembly> s_checkout = new(() => new GeneratedAssembly(GeneratorHarness.Spec("unions.openapi.yaml", ns: "Test.Checkout")));

    /// <summary>The value of a generated object's property, by name (the tests see generated types only through reflection).</summary>
    public static object? Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

    public string Namespace { get; }

    public Type Type(string name) => Assembly.GetType(Namespace + "." + name, throwOnError: true)!;

    /// <summary>Reads <paramref name="json"/> as <paramref name="typeName"/> through the generated converter.</summary>
    public object Read(string typeName, string json) => JsonSerializer.Deserialize(json, Type(typeName))!;

    public string Write(string typeName, object value) => JsonSerializer.Serialize(value, Type(typeName));

    /// <summary>Reads and writes back; returns the written JSON.</summary>
    public string RoundTrip(string typeName, string json) => Write(typeName, Read(typeName, json));

    public static bool SameJson(string left, string right) => JsonNode.DeepEquals(JsonNode.Parse(left), JsonNode.Parse(right));

    public void Dispose() => _context.Unload();
}
