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

    [Test]
    public void Generated_files_keep_nullable_annotations_and_the_tests_still_see_nullable_warnings()
    {
        var result = GeneratorHarness.Generate(GeneratorHarness.Spec("petstore.openapi.yaml"));
        var order = result.Compilation.GetTypeByMetadataName("Test.Api.Order")!;
        var notes = (Microsoft.CodeAnalysis.IPropertySymbol)order.GetMembers("Notes").Single();
        // A nullable mistake written into a generated file, as an emitter bug would write it.
        var broken = result.Sources.First().SourceText.ToString() + "\nnamespace Test.Api { internal static class Broken { internal static int Length(string? text) => text.Length; } }\n";
        var withBug = result with { Compilation = result.Compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(broken, GeneratorHarness.ParseOptions, "Broken.g.cs")) };

        Assert.That(result.Sources.First().SourceText.ToString(), Does.Contain("#nullable enable annotations\n#nullable disable warnings\n"));
        Assert.That(notes.NullableAnnotation, Is.EqualTo(Microsoft.CodeAnalysis.NullableAnnotation.Annotated), "callers still see T?");
        Assert.That(withBug.Compilation.GetDiagnostics().Where(d => d.Id == "CS8602"), Is.Empty, "the consumer's build does not analyse generated files");
        Assert.That(withBug.CompileProblems().Select(d => d.Id), Does.Contain("CS8602"), "the tests compile them with warnings on");
    }

    [Test]
    public void Spec_text_with_any_line_terminator_stays_inside_its_comment()
    {
        var result = GeneratorHarness.Generate(GeneratorHarness.Spec("hostile-text.openapi.json"));

        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        Assert.That(result.Compilation.GetSymbolsWithName(name => name.StartsWith("Injected", StringComparison.Ordinal)).Select(s => s.Name), Is.Empty, "spec text compiled as code");
        Assert.That(string.Concat(result.Sources.Select(s => s.SourceText.ToString())), Does.Not.Contain('\u2028').And.Not.Contain('\u2029').And.Not.Contain('\u0085'));
    }

    [Test]
    public void Two_versions_of_one_spec_in_two_namespaces_each_get_their_client()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Specs, "petstore.openapi.yaml"));

        var result = GeneratorHarness.Generate(new SpecInput("/specs/v1/petstore.openapi.yaml", text, "Shop.V1"), new SpecInput("/specs/v2/petstore.openapi.yaml", text, "Shop.V2"));

        Assert.That(result.Result.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.ToString()), Is.Empty);
        Assert.That(result.GeneratorDiagnostics.Select(d => d.ToString()), Is.Empty);
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        Assert.That(result.Compilation.GetTypeByMetadataName("Shop.V1.PetstoreClient"), Is.Not.Null);
        Assert.That(result.Compilation.GetTypeByMetadataName("Shop.V2.PetstoreClient"), Is.Not.Null);
        Assert.That(result.Sources.Select(s => s.HintName), Does.Contain("Shop.V1.PetstoreClient.Client.g.cs").And.Contain("Shop.V2.PetstoreClient.Client.g.cs"));
    }

    [Test]
    public void Two_specs_that_give_one_client_the_same_full_name_are_an_error_not_a_failed_generator()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Specs, "petstore.openapi.yaml"));

        var result = GeneratorHarness.Generate(
            new Dictionary<string, string> { ["TinyFishGeneratorDiagnosticsDoc"] = "https://docs.example/diagnostics.md" },
            new SpecInput("/specs/v1/petstore.openapi.yaml", text, "Shop"), new SpecInput("/specs/v2/petstore.openapi.yaml", text, "Shop"));

        var duplicates = result.Result.Diagnostics.Where(d => d.Id == "TFG0017").ToList();
        Assert.That(result.GeneratorDiagnostics.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal)).Select(d => d.ToString()), Is.Empty, "no CS8785: the generator did not fail");
        Assert.That(duplicates.Select(d => d.GetMessage()).ToList(), Has.Count.EqualTo(2).And.All.Contains("'Shop.PetstoreClient'"));
        Assert.That(duplicates.Select(d => d.Descriptor.HelpLinkUri), Is.All.EqualTo("https://docs.example/diagnostics.md#tfg0017"));
        Assert.That(result.Sources, Is.Empty);
    }

    [Test]
    public void Types_named_Client_or_differing_only_in_case_get_files_of_their_own()
    {
        const string spec = """
            openapi: 3.1.0
            info: { title: Billing, version: '1' }
            paths:
              /clients:
                post:
                  operationId: addClient
                  requestBody:
                    content:
                      application/json:
                        schema: { $ref: '#/components/schemas/Client' }
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/SQLParameters' }
            components:
              schemas:
                Client: { type: object, properties: { name: { type: string }, query: { $ref: '#/components/schemas/SqlParameters' } } }
                SQLParameters: { type: object, properties: { text: { type: string } } }
                SqlParameters: { type: object, properties: { sql: { type: string } } }
            """;

        var result = GeneratorHarness.Generate(new SpecInput("/specs/billing.yaml", spec));

        Assert.That(result.Result.Diagnostics.Select(d => d.ToString()), Is.Empty);
        Assert.That(result.Sources.Select(s => s.HintName), Is.SupersetOf(new[]
        {
            "BillingClient.Client.g.cs", "BillingClient.Client2.g.cs", "BillingClient.SQLParameters.g.cs", "BillingClient.SqlParameters2.g.cs",
        }));
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        Assert.That(result.Compilation.GetTypeByMetadataName("Test.Api.Client"), Is.Not.Null);
        Assert.That(result.Compilation.GetTypeByMetadataName("Test.Api.SqlParameters"), Is.Not.Null);
    }
}
