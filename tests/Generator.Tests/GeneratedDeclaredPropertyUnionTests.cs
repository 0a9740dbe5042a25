using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// The unions generated from Specs/unions.openapi.yaml whose object variants require the same properties and are told
/// apart by the properties each alone declares, read and written back through the generated code.
/// </summary>
public sealed class GeneratedDeclaredPropertyUnionTests
{
    private static GeneratedAssembly Checkout => GeneratedAssembly.Checkout;

    private static object? Get(object target, string property) => GeneratedAssembly.Get(target, property);

    [TestCase("""{"installments":3,"capture_method":"manual"}""", "CardOptions")]
    [TestCase("""{"three_d_secure":true}""", "CardOptions")]
    [TestCase("""{"expires_after_seconds":600,"capture_method":"automatic"}""", "InstantTransferOptions")]
    [TestCase("""{"expiresAfterSeconds":600}""", "InstantTransferOptions")]
    public void An_object_reads_as_the_variant_one_of_whose_own_properties_it_has(string json, string variant)
    {
        var options = Checkout.Read("PaymentOptions", json);

        Assert.Multiple(() =>
        {
            Assert.That(options.GetType().Name, Is.EqualTo(variant));
            Assert.That(Get(options, "Value")!.GetType().FullName, Is.EqualTo("Test.Checkout." + variant), "the variant wraps the component's own record");
        });
    }

    [TestCase("""{"installments":3,"three_d_secure":false,"capture_method":"manual","extra":{"a":[1,null]}}""")]
    [TestCase("""{"expires_after_seconds":600}""")]
    public void Each_variant_round_trips(string json)
    {
        Assert.That(GeneratedAssembly.SameJson(Checkout.RoundTrip("PaymentOptions", json), json));
    }

    [TestCase("""{"capture_method":"manual"}""", TestName = "{m}(only a property both declare)")]
    [TestCase("""{}""", TestName = "{m}(no property)")]
    [TestCase("""{"installments":3,"expires_after_seconds":600,"capture_method":"manual"}""", TestName = "{m}(own properties of both, not given to the first)")]
    public void An_object_that_tells_no_variant_or_two_is_kept_raw_and_written_back_unchanged(string json)
    {
        var options = Checkout.Read("PaymentOptions", json);

        Assert.Multiple(() =>
        {
            Assert.That(options.GetType().Name, Is.EqualTo("Unknown"));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("PaymentOptions", options), json));
        });
    }

    [TestCase("""{"message":"Happy birthday","wrapping":"gold"}""", "WithWrapping")]
    [TestCase("""{"message":"Congratulations","card_design":"stars"}""", "WithCardDesign")]
    public void Inline_variants_requiring_the_same_property_are_told_apart_and_named_by_the_first_property_of_their_own(string gift, string variant)
    {
        var order = Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"},"gift":""" + gift + "}");

        Assert.That(Get(order, "Gift")!.GetType().Name, Is.EqualTo(variant));
    }

    [Test]
    public void An_inline_variant_with_its_own_property_but_not_the_required_one_is_kept_raw()
    {
        var order = Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"},"gift":{"wrapping":"gold"}}""");

        Assert.That(Get(order, "Gift")!.GetType().Name, Is.EqualTo("Unknown"), "both variants require message");
    }

    [TestCase("""{"email":"a@x.example"}""", "EmailContact")]
    [TestCase("""{"email":"a@x.example","topics":["news"]}""", "NewsletterContact")]
    [TestCase("""{"email":"a@x.example","extra":1}""", "EmailContact")]
    [TestCase("""{"topics":["news"]}""", "Unknown")]
    public void Of_twins_one_with_no_property_of_its_own_takes_an_object_with_none_of_the_others(string contact, string variant)
    {
        var json = """{"id":"o1","payment":{"code":"X"},"contact":""" + contact + "}";
        var order = Checkout.Read("Order", json);

        Assert.Multiple(() =>
        {
            Assert.That(Get(order, "Contact")!.GetType().Name, Is.EqualTo(variant));
            Assert.That(GeneratedAssembly.SameJson(Checkout.RoundTrip("Order", json), json), Is.True, "written back unchanged");
        });
    }
}
