using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// A titled inline object that the document writes out in several places (their descriptions and examples aside) is one
/// type named by its title; any other inline object keeps a type of its own, named after where it is used.
/// </summary>
public sealed class ClientGeneratorRepeatedInlineObjectsTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: Shop, version: '1' }
        paths:
          /charges:
            get:
              operationId: listCharges
              parameters:
                - name: created
                  in: query
                  style: deepObject
                  schema:
                    anyOf:
                      - { title: range_query_specs, type: object, properties: { gt: { type: integer }, lt: { type: integer } } }
                      - { type: integer }
              responses:
                '204': { description: none }
          /refunds:
            get:
              operationId: listRefunds
              parameters:
                - name: created
                  in: query
                  style: deepObject
                  schema:
                    anyOf:
                      - { title: range_query_specs, type: object, properties: { gt: { type: integer }, lt: { type: integer } } }
                      - { type: integer }
              responses:
                '204': { description: none }
          /accounts:
            post:
              operationId: createAccount
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        card_payments: { title: capability_param, type: object, properties: { requested: { type: boolean } } }
                        transfers: { title: capability_param, type: object, properties: { requested: { type: boolean } } }
                        address: { title: address_specs, type: object, properties: { city: { type: string } } }
                        shipping: { title: shipping_specs, type: object, properties: { line: { type: string } } }
                        billing: { title: shipping_specs, type: object, properties: { line: { type: string }, zip: { type: string } } }
                        owner: { title: Owner, type: object, properties: { name: { type: string } } }
                        holder: { title: Owner, type: object, properties: { name: { type: string } } }
                        home: { title: place_param, type: object, description: Where they live., properties: { city: { type: string, description: The city. } } }
                        work: { title: place_param, type: object, description: Where they work., properties: { city: { type: string, description: The town. } } }
                        first_note: { title: note_param, type: object, properties: { description: { type: string } } }
                        second_note: { title: note_param, type: object, properties: { description: { type: integer } } }
              responses:
                '204': { description: created }
        components:
          schemas:
            Owner:
              type: object
              properties:
                id: { type: string }
        """;

    private static GenerationResult Generate() => GeneratorHarness.Generate(new SpecInput("/specs/shop.openapi.yaml", Spec, ClientName: "ShopClient"));

    private static IReadOnlyList<string> Files(GenerationResult result) => result.Sources.Select(s => s.HintName).ToList();

    [Test]
    public void A_repeated_titled_object_is_one_type_named_by_its_title()
    {
        var result = Generate();

        Assert.Multiple(() =>
        {
            Assert.That(Files(result), Does.Contain("ShopClient.RangeQuerySpecs.g.cs").And.Contain("ShopClient.CapabilityParam.g.cs"));
            // The unions that hold it are named after what they hold, so both operations share one too.
            Assert.That(result.Source("ShopClient.RangeQuerySpecsOrInteger.g.cs"), Does.Contain("record Fields(global::Test.Api.RangeQuerySpecs Value)"));
            Assert.That(Files(result).Where(f => f.Contains("Created", StringComparison.Ordinal)), Is.Empty);
            var request = result.Source("ShopClient.CreateAccountRequest.g.cs");
            Assert.That(request, Does.Contain("global::Test.Api.CapabilityParam? CardPayments").And.Contain("global::Test.Api.CapabilityParam? Transfers"));
            Assert.That(Files(result).Where(f => f.Contains("CardPayments", StringComparison.Ordinal) || f.Contains("Transfers", StringComparison.Ordinal)), Is.Empty);
            Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        });
    }

    [Test]
    public void A_titled_object_written_once_a_title_of_two_shapes_and_a_title_a_component_has_keep_names_by_place()
    {
        var result = Generate();
        var request = result.Source("ShopClient.CreateAccountRequest.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(request, Does.Contain("global::Test.Api.CreateAccountRequestAddress? Address"), "written once");
            Assert.That(request, Does.Contain("global::Test.Api.CreateAccountRequestShipping? Shipping").And.Contain("global::Test.Api.CreateAccountRequestBilling? Billing"), "shipping_specs titles two shapes");
            Assert.That(request, Does.Contain("global::Test.Api.CreateAccountRequestOwner? Owner").And.Contain("global::Test.Api.CreateAccountRequestHolder? Holder"), "the component Owner has the name");
            Assert.That(Files(result), Does.Not.Contain("ShopClient.AddressSpecs.g.cs").And.Not.Contain("ShopClient.ShippingSpecs.g.cs"));
        });
    }

    [Test]
    public void Copies_that_differ_only_in_descriptions_share_a_type_and_a_property_named_description_still_counts()
    {
        var result = Generate();
        var request = result.Source("ShopClient.CreateAccountRequest.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(request, Does.Contain("global::Test.Api.PlaceParam? Home").And.Contain("global::Test.Api.PlaceParam? Work"));
            Assert.That(result.Source("ShopClient.PlaceParam.g.cs"), Does.Contain("Where they live.").And.Contain("The city."), "the first copy's documentation");
            Assert.That(request, Does.Contain("global::Test.Api.CreateAccountRequestFirstNote? FirstNote").And.Contain("global::Test.Api.CreateAccountRequestSecondNote? SecondNote"),
                "a property named description is part of the shape, not documentation");
            Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        });
    }

    [Test]
    public void The_shared_type_reads_and_writes_each_place_the_same()
    {
        using var assembly = new GeneratedAssembly(new SpecInput("/specs/shop.openapi.yaml", Spec, ClientName: "ShopClient"));

        var json = """{"card_payments":{"requested":true},"transfers":{"requested":false,"extra":1}}""";
        var request = assembly.Read("CreateAccountRequest", json);

        Assert.That(GeneratedAssembly.SameJson(assembly.Write("CreateAccountRequest", request), json), Is.True);
        Assert.That(GeneratedAssembly.Get(request, "CardPayments")!.GetType(), Is.SameAs(GeneratedAssembly.Get(request, "Transfers")!.GetType()));
    }

    private const string CopiesSpec = """
        openapi: 3.0.3
        info: { title: Shop, version: '1' }
        paths:
          /orders:
            post:
              operationId: createOrder
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        shipping: { type: object, description: Where it goes., properties: { city: { type: string, description: The town. }, zip: { type: string } } }
                        billing: { type: object, properties: { city: { type: string }, zip: { type: string }, country: { type: string } } }
                        pin: { type: object, properties: { lat: { type: number }, lng: { type: number } } }
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: { type: object, properties: { city: { type: string }, zip: { type: string } } }
        components:
          schemas:
            Address:
              type: object
              description: "A postal address.\x1A"
              properties:
                city: { type: string }
                zip: { type: string }
            Point:
              type: object
              properties: { lat: { type: number }, lng: { type: number } }
            Spot:
              type: object
              properties: { lat: { type: number }, lng: { type: number } }
        """;

    [Test]
    public void An_inline_object_written_exactly_as_a_component_is_that_component()
    {
        var result = GeneratorHarness.Generate(new SpecInput("/specs/shop.openapi.yaml", CopiesSpec, ClientName: "ShopClient"));
        var request = result.Source("ShopClient.CreateOrderRequest.g.cs");

        Assert.Multiple(() =>
        {
            Assert.That(result.Diagnostics("TFG0004"), Is.Empty, "a control character the OpenAPI writer leaves raw in a description (APIs.guru's clearblade.com)");
            Assert.That(request, Does.Contain("global::Test.Api.Address? Shipping").And.Contain("Where it goes."), "descriptions aside, the property keeps its own");
            Assert.That(result.Source("ShopClient.Client.g.cs"), Does.Contain("Task<global::Test.Api.Address> CreateOrderAsync("), "a body too");
            Assert.That(request, Does.Contain("global::Test.Api.CreateOrderRequestBilling? Billing"), "one property more is another shape");
            Assert.That(request, Does.Contain("global::Test.Api.CreateOrderRequestPin? Pin"), "a shape two components have is neither's");
            Assert.That(Files(result), Does.Not.Contain("ShopClient.CreateOrderRequestShipping.g.cs").And.Not.Contain("ShopClient.CreateOrderResponse.g.cs"));
            Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
        });
    }
}
