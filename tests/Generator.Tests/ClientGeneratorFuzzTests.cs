using System.Text.Json.Nodes;
using Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using TinyFish.Toolkit.Generator;
using TinyFish.Toolkit.Generator.Model;

namespace Generator.Tests;

/// <summary>
/// Seeded mutations of the test specs (a node made null, a scalar, an empty object or array, wrapped in an
/// array, removed, swapped with another node, renamed to an awkward name, a $ref made dangling, an operationId duplicated) must never
/// make the generator fail inside: no exception, no TFG0004 and no TFG0001 because OpenAPI.NET itself threw,
/// whatever the spec says. Every
/// <see cref="CompileEvery"/>th mutant is also compiled, and must compile without errors.
/// </summary>
public sealed class ClientGeneratorFuzzTests
{
    // FUZZ_SEED and FUZZ_MUTANTS try other mutants locally; CI runs the fixed ones, so a failure reproduces.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : 1129;
    private static readonly int MutantsPerSpec = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_MUTANTS"), out var count) ? count : 250;
    private const int CompileEvery = 50;

    public static IEnumerable<TestCaseData> SeedSpecs()
    {
        var small = Directory.GetFiles(TestPaths.Specs)
            .Concat(Directory.GetFiles(TestPaths.Corpus).Where(p => new FileInfo(p).Length < 50_000 && !p.EndsWith(".md", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith('.')))
            .Append(TestPaths.RunsSpec)
            .Order(StringComparer.Ordinal);
        foreach (var path in small) yield return new TestCaseData(path).SetName("Fuzz_" + Path.GetFileName(path));
    }

    [TestCaseSource(nameof(SeedSpecs))]
    public void Mutated_specs_never_fail_inside_the_generator(string path)
    {
        var text = File.ReadAllText(path);
        var original = path.EndsWith(".json", StringComparison.Ordinal) ? JsonNode.Parse(text) : TinyFish.Toolkit.Generator.Helpers.SpecNulls.ReadYaml(text);
        var random = new Random(Seed + Path.GetFileName(path).Sum(c => c));
        var failures = new List<string>();
        var failed = 0;

        for (var i = 0; i < MutantsPerSpec; i++)
        {
            var mutant = original?.DeepClone();
            var applied = new List<string>();
            for (var n = 1 + random.Next(3); n > 0; n--) mutant = Mutate(mutant, random, applied);
            var json = mutant?.ToJsonString() ?? "null";
            var spec = new SpecFile("/fuzz/" + Path.GetFileNameWithoutExtension(path) + "." + i + ".json", json, "Fuzz.Api", "FuzzClient");
            try
            {
                var result = ClientGenerator.Parse(spec, CancellationToken.None);
                // A reader that throws inside (TFG0001 "the OpenAPI reader failed") is an internal error in disguise.
                foreach (var internalError in result.Diagnostics.Where(d => d.Id == "TFG0004" || d.Id == "TFG0001" && d.MessageArgs.Any(a => a.Contains("reader failed"))))
                {
                    failures.Add($"mutant {i} ({string.Join("; ", applied)}): {internalError.Id} {string.Join(" | ", internalError.MessageArgs)}");
                }
                if (result.Client is { } client)
                {
                    // Roslyn refuses a second file whose hint equals another's ignoring case.
                    var hints = ClientGenerator.Emitter.EmitAll(client, client.ClientName).Select(file => file.HintName).ToList();
                    failures.AddRange(hints.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"mutant {i} ({string.Join("; ", applied)}): two files named {g.Key}"));
                }
                if (i % CompileEvery == 0) failures.AddRange(CompileErrors(spec).Select(e => $"mutant {i} ({string.Join("; ", applied)}): {e}"));
            }
            catch (Exception e)
            {
                failures.Add($"mutant {i} ({string.Join("; ", applied)}): {e.GetType().Name}: {e.Message}");
            }
            // FUZZ_FAILURES=<folder> keeps each failing mutant as a spec file to debug with.
            if (failures.Count > failed && Environment.GetEnvironmentVariable("FUZZ_FAILURES") is { } folder)
            {
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + "." + i + ".openapi.json"), json);
            }
            failed = failures.Count;
        }

        Assert.That(failures.Take(15), Is.Empty, $"{failures.Count} failures in {MutantsPerSpec} mutants");
    }

    private static IEnumerable<string> CompileErrors(SpecFile spec)
    {
        var result = GeneratorHarness.Generate(new SpecInput(spec.Path, spec.Text!, spec.Namespace, spec.ClientName));
        return result.CompileProblems().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).Select(d => d.ToString())
            .Concat(result.GeneratorDiagnostics.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal)).Select(d => d.ToString()));
    }

    /// <summary>Names a member is renamed to; null stands for the member's own name in upper case (a case twin).</summary>
    private static readonly string?[] AwkwardNames = ["Client", "client", "Clone", "get_type", "EqualityContract", "class", "2fa", "", "a b", null];

    /// <summary>Applies one random mutation somewhere in the tree (the root may be replaced); says what it did.</summary>
    private static JsonNode? Mutate(JsonNode? root, Random random, List<string> applied)
    {
        var slots = new List<(JsonNode Parent, string? Key, int Index, string Pointer)>();
        Collect(root, "", slots);
        if (slots.Count == 0) return root;
        var (parent, key, index, pointer) = slots[random.Next(slots.Count)];
        var current = key is not null ? parent[key] : parent[index];
        string what;
        JsonNode? replacement;
        switch (random.Next(10))
        {
            case 9 when key is not null && parent is JsonObject renamed:
                // Names C# or Roslyn treat specially: the client's own file, record members, case twins, keywords.
                var name = AwkwardNames[random.Next(AwkwardNames.Length)] ?? key.ToUpperInvariant();
                if (renamed.ContainsKey(name)) return root;
                renamed.Remove(key);
                renamed[name] = current;
                applied.Add(pointer + " renamed " + name);
                return root;
            case 0: (what, replacement) = ("null", null); break;
            case 1: (what, replacement) = ("a number", JsonValue.Create(42)); break;
            case 2: (what, replacement) = ("a string", JsonValue.Create("x")); break;
            case 3: (what, replacement) = ("true", JsonValue.Create(true)); break;
            case 4: (what, replacement) = ("{}", new JsonObject()); break;
            case 5: (what, replacement) = ("[]", new JsonArray()); break;
            case 6: (what, replacement) = ("wrapped in an array", new JsonArray(current?.DeepClone())); break;
            case 7:
                var (otherParent, otherKey, otherIndex, otherPointer) = slots[random.Next(slots.Count)];
                var other = otherKey is not null ? otherParent[otherKey] : otherParent[otherIndex];
                (what, replacement) = ("the node at " + otherPointer, other?.DeepClone());
                break;
            default:
                if (key is not null && parent is JsonObject owner)
                {
                    owner.Remove(key);
                    applied.Add(pointer + " removed");
                    return root;
                }
                (what, replacement) = ("'#/components/schemas/Nowhere' as $ref", new JsonObject { ["$ref"] = "#/components/schemas/Nowhere" });
                break;
        }
        if (key is not null) parent[key] = replacement;
        else parent[index] = replacement;
        applied.Add(pointer + " → " + what);
        return root;
    }

    private static void Collect(JsonNode? node, string pointer, List<(JsonNode, string?, int, string)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var at = pointer + "/" + name.Replace("~", "~0").Replace("/", "~1");
                    slots.Add((obj, name, -1, at));
                    Collect(child, at, slots);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i, pointer + "/" + i));
                    Collect(array[i], pointer + "/" + i, slots);
                }
                break;
        }
    }
}
