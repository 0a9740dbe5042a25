using System.Collections;
using System.Reflection;
using Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TinyFish.Toolkit.Generator;

namespace Generator.Tests;

/// <summary>The pipeline caches: its steps hold values, and only a real spec change regenerates.</summary>
public sealed class ClientGeneratorIncrementalTests
{
    private static readonly string[] Steps = [TrackingNames.SpecFiles, TrackingNames.Parse, TrackingNames.Client, TrackingNames.ClientNames, TrackingNames.Diagnostics];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, SpecInput Spec, AdditionalText Text) FirstRun()
    {
        var spec = GeneratorHarness.Spec("petstore.openapi.yaml");
        var text = new InMemoryAdditionalText(spec.Path, spec.Text);
        var compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Marker { } }");
        var driver = GeneratorHarness.CreateDriver([spec], [text]).RunGenerators(compilation);
        return (driver, compilation, spec, text);
    }

    [Test]
    public void Unrelated_csharp_edit_leaves_every_tracked_step_cached()
    {
        var (driver, compilation, _, _) = FirstRun();

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Other { } }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in Steps)
        {
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.That(reasons, Is.Not.Empty.And.All.EqualTo(IncrementalStepRunReason.Cached), step);
        }
        Assert.That(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason), Is.All.EqualTo(IncrementalStepRunReason.Cached));
    }

    [Test]
    public void Whitespace_only_spec_edit_leaves_the_generated_source_unchanged()
    {
        var (driver, compilation, spec, text) = FirstRun();
        var before = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToList();

        // Blank lines before and after move every position in the file, but change nothing the spec says.
        var spaced = new InMemoryAdditionalText(spec.Path, "\n\n\n" + spec.Text + "\n   \n\n");
        var old = driver.GetRunResult().Results.Single();
        driver = driver.ReplaceAdditionalText(text, spaced).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.That(result.TrackedSteps[TrackingNames.SpecFiles].SelectMany(s => s.Outputs).Select(o => o.Reason), Is.All.EqualTo(IncrementalStepRunReason.Modified));
        Assert.That(result.TrackedSteps[TrackingNames.Client].SelectMany(s => s.Outputs).Select(o => o.Reason),
            Is.All.AnyOf(IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached), "the model is equal, so emit does not run");
        Assert.That(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason),
            Is.All.AnyOf(IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached));
        Assert.That(result.GeneratedSources.Select(s => s.SourceText.ToString()), Is.EqualTo(before));
        Assert.That(old.GeneratedSources.Length, Is.EqualTo(result.GeneratedSources.Length));
    }

    [Test]
    public void Changing_the_spec_regenerates_the_source()
    {
        var (driver, compilation, spec, text) = FirstRun();

        var changed = new InMemoryAdditionalText(spec.Path, spec.Text.Replace("livesLeft:", "livesRemaining:"));
        driver = driver.ReplaceAdditionalText(text, changed).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.That(result.TrackedSteps[TrackingNames.Client].SelectMany(s => s.Outputs).Select(o => o.Reason), Is.All.EqualTo(IncrementalStepRunReason.Modified));
        Assert.That(result.GeneratedSources.Single(s => s.HintName == "PetstoreClient.Cat.g.cs").SourceText.ToString(), Does.Contain("LivesRemaining").And.Not.Contain("LivesLeft"));
    }

    [Test]
    public void Changing_one_of_two_specs_leaves_the_others_emit_cached()
    {
        var petstore = GeneratorHarness.Spec("petstore.openapi.yaml");
        var inventory = GeneratorHarness.Spec("inventory.openapi.yaml");
        var petstoreText = new InMemoryAdditionalText(petstore.Path, petstore.Text);
        var compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Marker { } }");
        var driver = GeneratorHarness.CreateDriver([petstore, inventory], [petstoreText, new InMemoryAdditionalText(inventory.Path, inventory.Text)]).RunGenerators(compilation);

        var changed = new InMemoryAdditionalText(petstore.Path, petstore.Text.Replace("livesLeft:", "livesRemaining:"));
        var result = driver.ReplaceAdditionalText(petstoreText, changed).RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.That(result.TrackedSteps[TrackingNames.ClientNames].SelectMany(s => s.Outputs).Select(o => o.Reason), Is.All.AnyOf(IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached), "the names are the same");
        var outputs = result.TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.That(outputs, Has.Exactly(1).EqualTo(IncrementalStepRunReason.Modified), "only the petstore client's emit ran, not the inventory client's");
    }

    [Test]
    public void Changing_the_Operations_metadata_regenerates_with_only_the_selected_operations()
    {
        var (driver, compilation, spec, _) = FirstRun();

        var selected = spec with { Operations = "getPet" };
        driver = driver.WithUpdatedAnalyzerConfigOptions(new TestOptionsProvider([selected], "Consumer")).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        Assert.That(result.TrackedSteps[TrackingNames.Client].SelectMany(s => s.Outputs).Select(o => o.Reason), Is.All.EqualTo(IncrementalStepRunReason.Modified));
        var client = result.GeneratedSources.Single(s => s.HintName == "PetstoreClient.Client.g.cs").SourceText.ToString();
        Assert.That(client, Does.Contain("GetPetAsync").And.Not.Contain("ListPetsAsync").And.Not.Contain("PlaceOrderAsync"));
        Assert.That(result.GeneratedSources.Select(s => s.HintName), Does.Not.Contain("PetstoreClient.Order.g.cs"));
    }

    [Test]
    public void Step_outputs_hold_no_Roslyn_or_OpenApi_objects()
    {
        var (driver, _, _, _) = FirstRun();
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in Steps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                var offending = FindForbidden(output.Value, new HashSet<object>(ReferenceEqualityComparer.Instance), step);
                Assert.That(offending, Is.Null, "A cached step output reaches a compiler or OpenAPI.NET object.");
            }
        }
    }

    private static string? FindForbidden(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return null;
        var type = value.GetType();
        var ns = type.Namespace ?? "";
        if (ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || ns.StartsWith("Microsoft.OpenApi", StringComparison.Ordinal)) return path + " : " + type.FullName;
        if (!type.IsValueType && !seen.Add(value)) return null;
        if (value is IEnumerable items and not string)
        {
            var index = 0;
            foreach (var item in items)
            {
                if (FindForbidden(item, seen, path + "[" + index++ + "]") is { } found) return found;
            }
        }
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (FindForbidden(field.GetValue(value), seen, path + "." + field.Name) is { } found) return found;
            }
        }
        return null;
    }
}
