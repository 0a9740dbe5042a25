using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// Discriminator values that repeat, in Specs/unions.openapi.yaml: two mapping values naming one variant (Shape), one
/// value for two variants of a hierarchy (Animal) and of a wrapping union (Order.mascot) — a TFG0015 each, and the
/// documented choice in the generated reader: each value reads its variant; among variants sharing a value, the
/// properties each requires choose.
/// </summary>
public sealed class GeneratedRepeatedDiscriminatorTests
{
    private static GeneratedAssembly Checkout => GeneratedAssembly.Checkout;

    private static object? Get(object target, string property) => GeneratedAssembly.Get(target, property);

    private static IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> Warnings => Checkout.Generation.Diagnostics("TFG0015");

    private static int LineOf(string text, int after = 0) =>
        File.ReadLines(Path.Combine(TestPaths.Specs, "unions.openapi.yaml")).Select((line, i) => (line, i)).First(l => l.i >= after && l.line.Trim() == text).i + 1;

    private static int LineOf(Microsoft.CodeAnalysis.Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;

    [TestCase("circle")]
    [TestCase("round")]
    public void Each_of_two_mapping_values_reads_their_variant(string form)
    {
        var shape = Checkout.Read("Shape", $$"""{"form":"{{form}}","radius":2}""");

        Assert.That(shape.GetType().Name, Is.EqualTo("Circle"));
    }

    [Test]
    public void A_variant_named_by_two_mapping_values_is_a_located_warning_saying_which_it_writes()
    {
        var warning = Warnings.Single(w => w.GetMessage().Contains("union 'Shape'"));

        Assert.Multiple(() =>
        {
            Assert.That(warning.GetMessage(), Does.Contain("'Circle' is named by 'circle' and 'round'; each reads it, and it is written back as 'circle'"));
            Assert.That(warning.Severity, Is.EqualTo(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
            Assert.That(LineOf(warning), Is.EqualTo(LineOf("discriminator:", LineOf("Shape:"))), "at Shape's discriminator");
        });
    }

    [TestCase("""{"species":"dog","name":"Rex"}""", "Dog")]
    [TestCase("""{"species":"dog","age_weeks":9}""", "Puppy")]
    public void A_value_two_variants_share_reads_the_one_whose_required_properties_are_there(string json, string variant)
    {
        var pet = Checkout.Read("Animal", json);

        Assert.Multiple(() =>
        {
            Assert.That(pet.GetType().Name, Is.EqualTo(variant));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Animal", pet), json));
        });
    }

    [Test]
    public void A_shared_value_with_neither_variants_required_properties_is_kept_raw()
    {
        const string json = """{"species":"dog","colour":"brown"}""";

        var pet = Checkout.Read("Animal", json);

        Assert.Multiple(() =>
        {
            Assert.That(pet.GetType().Name, Is.EqualTo("UnknownAnimal"));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Animal", pet), json));
        });
    }

    [Test]
    public void A_value_two_variants_share_is_a_located_warning_saying_how_the_reader_chooses()
    {
        var warning = Warnings.Single(w => w.GetMessage().Contains("union 'Animal'"));

        Assert.Multiple(() =>
        {
            Assert.That(warning.GetMessage(), Does.Contain("the value 'dog' names 'Dog' and 'Puppy'; among them the properties each requires choose"));
            Assert.That(LineOf(warning), Is.EqualTo(LineOf("discriminator:", LineOf("Animal:"))), "at Animal's discriminator");
        });
    }

    [TestCase("""{"species":"dog","name":"Rex"}""", "Dog")]
    [TestCase("""{"species":"dog","model":"R2"}""", "Robot")]
    public void In_a_wrapping_union_a_shared_value_is_chosen_by_required_properties_too(string mascot, string variant)
    {
        var order = Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"},"mascot":""" + mascot + "}");

        Assert.Multiple(() =>
        {
            Assert.That(Checkout.Type("Order").GetProperty("Mascot")!.GetValue(order)!.GetType().Name, Is.EqualTo(variant));
            Assert.That(Warnings.Single(w => w.GetMessage().Contains("union 'OrderMascot'")).GetMessage(), Does.Contain("the value 'dog' names 'Dog' and #1;"));
        });
    }

    [Test]
    public void A_component_listed_twice_is_one_choice_with_no_repeated_value_to_report()
    {
        var order = Checkout.Read("Order", """{"id":"o1","payment":{"code":"X"},"kennel":{"species":"dog","name":"Rex"}}""");

        Assert.Multiple(() =>
        {
            Assert.That(Checkout.Type("Order").GetProperty("Kennel")!.PropertyType.Name, Is.EqualTo("Dog"), "oneOf [Dog, Dog] is Dog");
            Assert.That(Get(Get(order, "Kennel")!, "Name"), Is.EqualTo("Rex"));
            Assert.That(Warnings.Where(w => w.GetMessage().Contains("Kennel")), Is.Empty);
        });
    }

    [Test]
    public void Repeated_values_leave_no_schema_as_JsonElement()
    {
        Assert.That(Checkout.Type("Order").GetProperty("Pet")!.PropertyType.Name, Is.EqualTo("Animal"));
    }
}
