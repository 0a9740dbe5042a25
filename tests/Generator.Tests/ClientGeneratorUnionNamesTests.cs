using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// An inline union whose variants are all components and primitives is named after them and is one type wherever the
/// document writes it; a one-value enum is a string, as a const is.
/// </summary>
public sealed class ClientGeneratorUnionNamesTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Shop, version: '1' }
        paths:
          /charges/{id}:
            get:
              operationId: getCharge
              parameters:
                - { name: id, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Charge' }
        components:
          schemas:
            Account:
              type: object
              properties:
                id: { type: string }
            Customer:
              type: object
              properties:
                id: { type: string }
            Charge:
              type: object
              properties:
                object: { type: string, enum: [charge], description: The kind of object. }
                kind: { const: payment }
                account:
                  description: The account, or its id.
                  anyOf: [{ type: string, maxLength: 5000 }, { $ref: '#/components/schemas/Account' }]
                on_behalf_of:
                  description: Whom it is for.
                  nullable: true
                  anyOf: [{ type: string }, { $ref: '#/components/schemas/Account' }]
                customer:
                  anyOf: [{ type: string }, { $ref: '#/components/schemas/Customer' }]
                source:
                  anyOf: [{ type: string }, { type: object, properties: { brand: { type: string } } }]
                limit:
                  anyOf: [{ type: string }, { type: integer }]
                tags:
                  anyOf: [{ type: string }, { type: array, items: { type: string } }]
                labels:
                  anyOf: [{ type: string }, { type: array, items: { type: string, nullable: true } }]
            StringOrCustomer:
              type: object
              properties:
                note: { type: string }
        """;

    private static GenerationResult Generate() => GeneratorHarness.Generate(new SpecInput("/specs/shop.openapi.yaml", Spec, ClientName: "ShopClient"));

    private static IReadOnlyList<string> Files(GenerationResult result) => result.Sources.Select(s => s.HintName).ToList();

    [Test]
    public void A_union_of_components_and_primitives_is_named_after_them_and_is_one_type_in_every_place()
    {
        var result = Generate();
        var charge = result.Source("ShopClient.Charge.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(charge, Does.Contain("global::Test.Api.StringOrAccount? Account").And.Contain("global::Test.Api.StringOrAccount? OnBehalfOf"));
            Assert.That(charge, Does.Contain("global::Test.Api.StringOrInteger? Limit"));
            Assert.That(Files(result), Does.Contain("ShopClient.StringOrAccount.g.cs").And.Contain("ShopClient.StringOrInteger.g.cs"));
            Assert.That(Files(result).Where(f => f.StartsWith("ShopClient.Charge", StringComparison.Ordinal)), Is.EqualTo(new[] { "ShopClient.Charge.g.cs", "ShopClient.ChargeCustomer.g.cs", "ShopClient.ChargeLabels.g.cs", "ShopClient.ChargeSource.g.cs", "ShopClient.ChargeSourceFields.g.cs" }));
            Assert.That(result.Source("ShopClient.StringOrAccount.g.cs"), Does.Not.Contain("The account, or its id."), "the type serves every place; each property keeps its own description");
            Assert.That(charge, Does.Contain("The account, or its id.").And.Contain("Whom it is for."));
            Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        });
    }

    [Test]
    public void A_union_with_an_inline_variant_or_a_name_another_type_has_is_named_after_its_place()
    {
        var charge = Generate().Source("ShopClient.Charge.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(charge, Does.Contain("global::Test.Api.ChargeSource? Source"), "an inline object variant");
            Assert.That(charge, Does.Contain("global::Test.Api.ChargeCustomer? Customer"), "the component StringOrCustomer has the name");
            Assert.That(charge, Does.Contain("global::Test.Api.StringOrStringList? Tags").And.Contain("global::Test.Api.ChargeLabels? Labels"), "a list of strings that may be null is another type");
        });
    }

    [Test]
    public void A_one_value_enum_is_a_string_documented_with_its_value_as_a_const_is()
    {
        var result = Generate();
        var charge = result.Source("ShopClient.Charge.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(charge, Does.Contain("public string? Object { get; init; }").And.Contain("The kind of object. Always \"charge\"."));
            Assert.That(charge, Does.Contain("public string? Kind { get; init; }").And.Contain("Always \"payment\"."));
            Assert.That(Files(result), Does.Not.Contain("ShopClient.ChargeObject.g.cs"));
        });
    }

    [Test]
    public void The_shared_union_reads_and_writes_each_place_the_same()
    {
        using var assembly = new GeneratedAssembly(new SpecInput("/specs/shop.openapi.yaml", Spec, ClientName: "ShopClient"));

        var json = """{"object":"charge","account":"acct_1","on_behalf_of":{"id":"acct_2","extra":true},"limit":5}""";
        var charge = assembly.Read("Charge", json);

        Assert.Multiple(() =>
        {
            Assert.That(GeneratedAssembly.SameJson(assembly.Write("Charge", charge), json), Is.True);
            Assert.That(GeneratedAssembly.Get(charge, "Account")!.GetType().FullName, Is.EqualTo("Test.Api.StringOrAccount+Text"));
            Assert.That(GeneratedAssembly.Get(charge, "OnBehalfOf")!.GetType().FullName, Is.EqualTo("Test.Api.StringOrAccount+Fields"));
        });
    }
}
