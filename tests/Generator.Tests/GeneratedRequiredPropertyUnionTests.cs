using System.Net;
using Generator.Tests.Infrastructure;
using TinyFish.Toolkit.Runtime;

namespace Generator.Tests;

/// <summary>
/// The unions generated from Specs/unions.openapi.yaml, a checkout API written for these tests: objects without a
/// discriminator or constant, chosen by the properties each requires, read and written back through the generated code.
/// </summary>
public sealed class GeneratedRequiredPropertyUnionTests
{
    private static GeneratedAssembly Checkout => GeneratedAssembly.Checkout;

    private static object? Get(object target, string property) => GeneratedAssembly.Get(target, property);

    [TestCase("""{"card_number":"4111","expiry":"12/30"}""", "Card")]
    [TestCase("""{"card_number":"4111","nickname":"work"}""", "SavedCard")]
    [TestCase("""{"iban":"DE00","reference":"r1"}""", "BankTransfer")]
    [TestCase("""{"code":"SAVE10","amount":10}""", "Voucher")]
    public void An_object_reads_as_the_variant_whose_required_properties_it_has(string json, string variant)
    {
        var payment = Checkout.Read("Payment", json);

        Assert.That(payment.GetType().Name, Is.EqualTo(variant));
        Assert.That(Get(payment, "Value")!.GetType().FullName, Is.EqualTo("Test.Checkout." + variant), "the variant wraps the component's own record");
    }

    [Test]
    public void Of_two_matching_variants_the_one_requiring_more_properties_wins_whatever_the_order()
    {
        var payment = Checkout.Read("Payment", """{"nickname":"old","expiry":"01/29","card_number":"4111"}""");

        Assert.That(payment.GetType().Name, Is.EqualTo("Card"), "Card requires card_number and expiry, SavedCard only card_number");
    }

    [Test]
    public void Of_two_matching_variants_requiring_as_many_properties_the_first_listed_wins()
    {
        var payment = Checkout.Read("Payment", """{"code":"SAVE10","iban":"DE00"}""");

        Assert.That(payment.GetType().Name, Is.EqualTo("BankTransfer"), "BankTransfer is listed before Voucher");
    }

    [Test]
    public void Required_properties_are_matched_as_object_properties_are_ignoring_case_and_underscores()
    {
        var payment = Checkout.Read("Payment", """{"cardNumber":"4111","Expiry":"12/30"}""");

        Assert.That(payment.GetType().Name, Is.EqualTo("Card"));
    }

    [Test]
    public void An_object_no_variant_takes_is_kept_raw_and_written_back_unchanged()
    {
        const string json = """{"wallet":"pay-x","token":{"id":7,"scopes":["a",null]}}""";

        var payment = Checkout.Read("Payment", json);

        Assert.That(payment.GetType().Name, Is.EqualTo("Unknown"));
        Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Payment", payment), json));
    }

    [TestCase("""{"card_number":"4111","expiry":"12/30","holder":"A. N. Other","extra":[1,2]}""")]
    [TestCase("""{"card_number":"4111","nickname":"work"}""")]
    [TestCase("""{"iban":"DE00"}""")]
    [TestCase("""{"code":"SAVE10","amount":10}""")]
    public void Each_variant_round_trips(string json)
    {
        Assert.That(GeneratedAssembly.SameJson(Checkout.RoundTrip("Payment", json), json));
    }

    [Test]
    public void A_value_of_another_JSON_kind_is_kept_raw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Checkout.Read("Payment", "\"cash\"").GetType().Name, Is.EqualTo("Unknown"));
            Assert.That(Checkout.RoundTrip("Payment", "\"cash\""), Is.EqualTo("\"cash\""));
        });
    }

    [Test]
    public void A_component_that_is_a_variant_of_two_unions_is_wrapped_by_each()
    {
        var payment = Checkout.Read("Payment", """{"card_number":"4111","expiry":"12/30"}""");
        var refund = Checkout.Read("Refund", """{"card_number":"4111","expiry":"12/30"}""");

        Assert.That(Get(refund, "Value")!.GetType(), Is.SameAs(Get(payment, "Value")!.GetType()), "one Card record serves both unions");
    }

    [Test]
    public void An_inline_variant_beside_a_ref_is_a_record_named_after_its_title()
    {
        const string json = """{"account_number":"12345678","bank":"B"}""";

        var refund = Checkout.Read("Refund", json);

        Assert.Multiple(() =>
        {
            Assert.That(refund.GetType().Name, Is.EqualTo("Account"));
            Assert.That(Get(Get(refund, "Value")!, "AccountNumber"), Is.EqualTo("12345678"));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Refund", refund), json));
        });
    }

    [TestCase("""{"locker_id":"L9"}""", "WithLockerId")]
    [TestCase("""{"street":"Main St 1","city":"C"}""", "WithStreet")]
    public void An_inline_union_of_a_property_names_its_variants_after_the_first_property_only_they_require(string delivery, string variant)
    {
        var order = Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"},"delivery":""" + delivery + "}");

        Assert.That(Get(order, "Delivery")!.GetType().Name, Is.EqualTo(variant));
    }

    [Test]
    public void An_inline_variant_keeps_its_typed_fields()
    {
        var order = Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"},"delivery":{"locker_id":"L9"}}""");

        Assert.That(Get(Get(Get(order, "Delivery")!, "Value")!, "LockerId"), Is.EqualTo("L9"));
    }

    [Test]
    public async Task An_error_body_of_such_a_union_keeps_the_error_convention_each_variant_tried_by_its_required_names()
    {
        var handler = new StubHandler(_ => ((HttpStatusCode)422, """{"sku":"A1"}"""));
        dynamic client = Activator.CreateInstance(
            Checkout.Type("UnionsClient"),
            new ApiClientOptions { BaseAddress = new Uri("https://api.example/"), Retry = new RetryOptions { MaxRetries = 0 } },
            new HttpClient(handler))!;

        var error = Assert.ThrowsAsync(Is.InstanceOf<ApiException>(), async () => await client.CreateOrderAsync((dynamic)Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"}}"""), CancellationToken.None))!;

        Assert.That(((ApiException)error).Body?.GetType().FullName, Is.EqualTo("Test.Checkout.StockProblem"));
    }

    [Test]
    public void Variants_that_require_and_declare_the_same_properties_stay_JsonElement_with_a_warning_naming_them()
    {
        var warning = Checkout.Generation.Diagnostics("TFG0003").Single();

        Assert.Multiple(() =>
        {
            Assert.That(warning.GetMessage(), Does.Contain("'EmailContact' and 'ReplyAddress' require the same properties (email) and neither declares a property that the other object variants do not"));
            Assert.That(warning.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(File.ReadLines(Path.Combine(TestPaths.Specs, "unions.openapi.yaml")).ToList().FindIndex(l => l.Trim() == "Sender:") + 1));
            Assert.That(Checkout.Type("Order").GetProperty("Sender")!.PropertyType, Is.EqualTo(typeof(System.Text.Json.JsonElement?)));
        });
    }
}
