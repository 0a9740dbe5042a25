using Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Generator.Tests;

/// <summary>
/// An OpenApiClient item's <c>Operations</c> metadata: the client has only the operations it names and the types they
/// reach, compiles without warnings, and reports only on what it generates.
/// </summary>
public sealed class ClientGeneratorOperationsSelectionTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Zoo, version: '1' }
        paths:
          /animals:
            get:
              operationId: listAnimals
              responses:
                '200':
                  description: all
                  content:
                    application/json:
                      schema: { type: array, items: { $ref: '#/components/schemas/Animal' } }
            post:
              operationId: addAnimal
              requestBody:
                required: true
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/NewAnimal' }
              responses:
                '204': { description: added }
          /cats/{id}:
            get:
              operationId: getCat
              parameters:
                - { name: id, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: one cat
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Cat' }
          /keepers:
            get:
              operationId: listKeepers
              tags: [staff]
              responses:
                '200':
                  description: all
                  content:
                    application/json:
                      schema: { type: array, items: { $ref: '#/components/schemas/Keeper' } }
        components:
          schemas:
            Animal:
              oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }]
              discriminator: { propertyName: kind }
            Cat:
              type: object
              required: [kind, name]
              properties:
                kind: { type: string }
                name: { type: string }
                toy: { $ref: '#/components/schemas/Toy' }
            Dog:
              type: object
              required: [kind]
              properties:
                kind: { type: string }
                bones: { type: integer }
            Toy:
              type: object
              properties:
                colour: { type: string, enum: [red, blue] }
            NewAnimal:
              type: object
              properties:
                name: { type: string }
            Keeper:
              type: object
              properties:
                name: { type: string }
                shift: { oneOf: [{ type: string, format: date }, { type: string, format: date-time }] }
        """;

    private static GenerationResult Generate(string? operations) =>
        GeneratorHarness.Generate(new SpecInput("/specs/zoo.openapi.yaml", Spec, ClientName: "ZooClient", Operations: operations));

    private static string[] TypeFiles(GenerationResult result) =>
        result.Sources.Select(s => s.HintName).Where(h => !h.StartsWith("ZooClient.Client", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    private static string Client(GenerationResult result) => result.Source("ZooClient.Client.g.cs");

    [Test]
    public void Without_Operations_every_operation_and_component_is_generated()
    {
        var result = Generate(null);

        Assert.That(Client(result), Does.Contain("ListAnimalsAsync").And.Contain("AddAnimalAsync").And.Contain("GetCatAsync").And.Contain("ListKeepersAsync"));
        Assert.That(TypeFiles(result), Is.EquivalentTo(new[] { "ZooClient.Animal.g.cs", "ZooClient.Cat.g.cs", "ZooClient.Dog.g.cs", "ZooClient.Keeper.g.cs", "ZooClient.NewAnimal.g.cs", "ZooClient.Toy.g.cs", "ZooClient.ToyColour.g.cs" }));
        Assert.That(result.Diagnostics("TFG0003"), Has.Count.EqualTo(1), "Keeper.shift: two strings of different formats");
    }

    [Test]
    public void An_operationId_selects_its_operation_and_only_the_types_it_reaches()
    {
        var result = Generate("addAnimal");

        Assert.That(Client(result), Does.Contain("AddAnimalAsync").And.Not.Contain("ListAnimalsAsync").And.Not.Contain("GetCatAsync").And.Not.Contain("ListKeepersAsync"));
        Assert.That(TypeFiles(result), Is.EqualTo(new[] { "ZooClient.NewAnimal.g.cs" }));
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
    }

    [Test]
    public void A_variant_reached_alone_brings_its_union_and_the_union_its_other_variants()
    {
        var result = Generate("getCat");

        Assert.That(Client(result), Does.Contain("GetCatAsync").And.Not.Contain("ListAnimalsAsync"));
        Assert.That(TypeFiles(result), Does.Contain("ZooClient.Cat.g.cs").And.Contain("ZooClient.Animal.g.cs").And.Contain("ZooClient.Dog.g.cs").And.Contain("ZooClient.Toy.g.cs"));
        Assert.That(TypeFiles(result).Any(f => f.Contains("Keeper", StringComparison.Ordinal) || f.Contains("NewAnimal", StringComparison.Ordinal)), Is.False);
        Assert.That(result.Source("ZooClient.Cat.g.cs"), Does.Contain("record Cat : global::Test.Api.Animal"));
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
    }

    [Test]
    public void Paths_methods_and_wildcards_select_and_a_tag_group_exists_only_for_selected_operations()
    {
        var byPath = Generate("/animals");
        var byMethod = Generate("GET /animals, /cats/*");

        Assert.Multiple(() =>
        {
            Assert.That(Client(byPath), Does.Contain("ListAnimalsAsync").And.Contain("AddAnimalAsync").And.Not.Contain("GetCatAsync"));
            Assert.That(Client(byPath), Does.Not.Contain("Staff"), "no operation of the tag is selected");
            Assert.That(Client(byMethod), Does.Contain("ListAnimalsAsync").And.Contain("GetCatAsync").And.Not.Contain("AddAnimalAsync"));
            Assert.That(byPath.CompileProblems().Select(d => d.ToString()), Is.Empty);
            Assert.That(byMethod.CompileProblems().Select(d => d.ToString()), Is.Empty);
        });
    }

    [Test]
    public void Diagnostics_about_schemas_no_selected_operation_reaches_are_left_out()
    {
        Assert.That(Generate("listAnimals").Diagnostics("TFG0003"), Is.Empty, "Keeper is not generated");
        Assert.That(Generate("listKeepers").Diagnostics("TFG0003"), Has.Count.EqualTo(1));
    }

    [Test]
    public void An_entry_that_matches_nothing_is_TFG0016_and_the_rest_still_generates()
    {
        var result = Generate("listAnimals, lsitKeepers, DELETE /animals");

        var unmatched = result.Diagnostics("TFG0016");
        Assert.That(unmatched.Select(d => d.GetMessage()), Is.EqualTo(new[]
        {
            "The Operations entry 'lsitKeepers' matches no operation of this document; an entry is an operationId, a path or a method and a path ('GET /items'), and '*' matches any characters",
            "The Operations entry 'DELETE /animals' matches no operation of this document; an entry is an operationId, a path or a method and a path ('GET /items'), and '*' matches any characters",
        }));
        Assert.That(unmatched.All(d => d.Severity == DiagnosticSeverity.Warning && d.Location.GetLineSpan().Path == "/specs/zoo.openapi.yaml"), Is.True);
        Assert.That(Client(result), Does.Contain("ListAnimalsAsync"));
    }

    [Test]
    public void Selected_types_keep_the_names_they_have_in_the_whole_client()
    {
        const string Clash = """
            openapi: 3.1.0
            info: { title: T, version: '1' }
            paths:
              /b:
                get:
                  operationId: getB
                  responses:
                    '200': { description: b, content: { application/json: { schema: { $ref: '#/components/schemas/item' } } } }
            components:
              schemas:
                Item: { type: object, properties: { a: { type: string } } }
                item: { type: object, properties: { b: { type: string } } }
            """;
        var whole = GeneratorHarness.Generate(new SpecInput("/specs/t.openapi.yaml", Clash, ClientName: "TClient"));
        var selected = GeneratorHarness.Generate(new SpecInput("/specs/t.openapi.yaml", Clash, ClientName: "TClient", Operations: "getB"));

        Assert.That(whole.Source("TClient.Client.g.cs"), Does.Contain("Item2"));
        Assert.That(selected.Source("TClient.Client.g.cs"), Does.Contain("global::Test.Api.Item2"), "the same name with or without a selection");
    }

    [Test]
    public void A_tag_with_no_selected_operation_still_keeps_its_group_name_from_a_schema()
    {
        // The whole client has a StaffOperations group class, so the schema of that name is StaffOperations2 in both.
        var spec = Spec.Replace("    NewAnimal:\n", "    StaffOperations:\n      type: object\n      properties:\n        shifts: { type: integer }\n    NewAnimal:\n")
            .Replace("schema: { $ref: '#/components/schemas/NewAnimal' }", "schema: { $ref: '#/components/schemas/StaffOperations' }");
        var whole = GeneratorHarness.Generate(new SpecInput("/specs/zoo.openapi.yaml", spec, ClientName: "ZooClient"));
        var selected = GeneratorHarness.Generate(new SpecInput("/specs/zoo.openapi.yaml", spec, ClientName: "ZooClient", Operations: "addAnimal"));

        Assert.That(whole.Sources.Select(s => s.HintName), Does.Contain("ZooClient.StaffOperations2.g.cs"));
        Assert.That(selected.Sources.Select(s => s.HintName), Does.Contain("ZooClient.StaffOperations2.g.cs"));
        Assert.That(selected.CompileProblems().Select(d => d.ToString()), Is.Empty);
    }
}
