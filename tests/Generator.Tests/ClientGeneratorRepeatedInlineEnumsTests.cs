using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// An inline enum that the document writes under one name of two words or more in several places, always with the same
/// values, is one type named after that name; any other inline enum keeps a type of its own, named after its place.
/// </summary>
public sealed class ClientGeneratorRepeatedInlineEnumsTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Shop, version: '1' }
        paths:
          /prices:
            get:
              operationId: listPrices
              parameters:
                - name: tax_behavior
                  in: query
                  schema: { type: string, enum: [exclusive, inclusive, unspecified] }
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Price' }
        components:
          schemas:
            Price:
              type: object
              properties:
                tax_behavior: { type: string, description: How tax is counted., enum: [exclusive, inclusive, unspecified, null] }
                status: { type: string, enum: [active, archived] }
                setup_future_usage: { type: string, enum: [on_session, off_session] }
                billing_scheme: { type: string, enum: [per_unit, tiered] }
                collection_mode: { type: string, enum: [automatic, manual] }
                shipping:
                  type: object
                  properties:
                    tax_behavior: { type: string, description: How shipping tax is counted., enum: [exclusive, inclusive, unspecified] }
                    status: { type: string, enum: [active, archived] }
                    setup_future_usage: { type: string, enum: [on_session] }
                    collection_mode: { type: string, enum: [automatic, manual] }
            Order:
              type: object
              properties:
                setup_future_usage: { type: string, enum: [none, on_session, off_session] }
                collection_mode: { type: string, enum: [automatic, manual] }
            CollectionMode:
              type: object
              properties:
                name: { type: string }
        """;

    private static GenerationResult Generate() => GeneratorHarness.Generate(new SpecInput("/specs/shop.openapi.yaml", Spec, ClientName: "ShopClient"));

    private static IReadOnlyList<string> Files(GenerationResult result) => result.Sources.Select(s => s.HintName).ToList();

    [Test]
    public void A_repeated_enum_is_one_type_named_after_its_property()
    {
        var result = Generate();

        Assert.Multiple(() =>
        {
            Assert.That(result.Source("ShopClient.Price.g.cs"), Does.Contain("global::Test.Api.TaxBehavior? TaxBehavior").And.Contain("How tax is counted."));
            Assert.That(result.Source("ShopClient.PriceShipping.g.cs"), Does.Contain("global::Test.Api.TaxBehavior? TaxBehavior").And.Contain("How shipping tax is counted."));
            Assert.That(result.Source("ShopClient.Client.g.cs"), Does.Contain("global::Test.Api.TaxBehavior? taxBehavior = null"), "a parameter of that name shares it too");
            Assert.That(result.Source("ShopClient.TaxBehavior.g.cs"), Does.Contain("Exclusive").And.Not.Contain("How tax is counted."), "each place keeps its own description");
            Assert.That(Files(result).Where(f => f.Contains("TaxBehavior", StringComparison.Ordinal)), Is.EqualTo(new[] { "ShopClient.TaxBehavior.g.cs" }));
            Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        });
    }

    [Test]
    public void A_one_word_name_a_name_of_two_value_lists_a_name_a_component_has_and_an_enum_written_once_keep_names_by_place()
    {
        var result = Generate();
        var price = result.Source("ShopClient.Price.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(price, Does.Contain("global::Test.Api.PriceStatus? Status"), "one word: Status would say little");
            Assert.That(price, Does.Contain("global::Test.Api.PriceSetupFutureUsage? SetupFutureUsage"), "setup_future_usage has other values elsewhere");
            Assert.That(price, Does.Contain("global::Test.Api.PriceCollectionMode? CollectionMode"), "the component CollectionMode has the name");
            Assert.That(price, Does.Contain("global::Test.Api.PriceBillingScheme? BillingScheme"), "written once");
        });
    }

    [Test]
    public void The_shared_enum_reads_and_writes_each_place_the_same()
    {
        using var assembly = new GeneratedAssembly(new SpecInput("/specs/shop.openapi.yaml", Spec, ClientName: "ShopClient"));

        var json = """{"tax_behavior":"inclusive","shipping":{"tax_behavior":"gross"}}""";
        var price = assembly.Read("Price", json);

        Assert.Multiple(() =>
        {
            Assert.That(GeneratedAssembly.SameJson(assembly.Write("Price", price), json), Is.True, "an unknown value is kept");
            Assert.That(GeneratedAssembly.Get(price, "TaxBehavior")!.GetType(), Is.SameAs(GeneratedAssembly.Get(GeneratedAssembly.Get(price, "Shipping")!, "TaxBehavior")!.GetType()));
        });
    }
}
