using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// The discriminated unions of Specs/unions.openapi.yaml that wrap their variants instead of deriving them: one whose
/// variant already derives from another union, one that mixes an inline variant with a $ref, and an inline oneOf of
/// $refs — read and written back through the generated code.
/// </summary>
public sealed class GeneratedWrappedDiscriminatedUnionTests
{
    private static GeneratedAssembly Checkout => GeneratedAssembly.Checkout;

    private static object? Get(object target, string property) => GeneratedAssembly.Get(target, property);

    [Test]
    public void A_component_in_two_discriminated_unions_derives_from_the_first_and_is_wrapped_by_the_second()
    {
        var attachment = Checkout.Read("Attachment", """{"kind":"file","file_id":"f1"}""");
        var media = Checkout.Read("Media", """{"kind":"file","file_id":"f1"}""");

        Assert.Multiple(() =>
        {
            Assert.That(attachment.GetType().FullName, Is.EqualTo("Test.Checkout.FileAttachment"), "Attachment is the derived hierarchy (first by name)");
            Assert.That(media.GetType().FullName, Is.EqualTo("Test.Checkout.Media+FileAttachment"));
            Assert.That(Get(media, "Value")!.GetType(), Is.SameAs(attachment.GetType()), "one FileAttachment record serves both unions");
        });
    }

    [TestCase("""{"kind":"file","file_id":"f1","size":3}""", "FileAttachment")]
    [TestCase("""{"kind":"image","width":640}""", "ImageAttachment")]
    public void The_discriminator_chooses_the_wrapped_variant_and_it_round_trips(string json, string variant)
    {
        var media = Checkout.Read("Media", json);

        Assert.Multiple(() =>
        {
            Assert.That(media.GetType().Name, Is.EqualTo(variant));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Media", media), json));
        });
    }

    [Test]
    public void An_unlisted_discriminator_value_is_kept_raw_and_written_back_unchanged()
    {
        const string json = """{"kind":"video","seconds":12,"file_id":"f1"}""";

        var media = Checkout.Read("Media", json);

        Assert.Multiple(() =>
        {
            Assert.That(media.GetType().Name, Is.EqualTo("Unknown"));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Media", media), json));
        });
    }

    [TestCase("""{"type":"text","text":"Thanks"}""", "TextNote", "TextNote")]
    [TestCase("""{"type":"sticker","emoji":"*"}""", "Sticker", "NotePartSticker")]
    public void A_ref_and_an_inline_variant_with_constants_are_told_apart_and_round_trip(string json, string variant, string valueType)
    {
        var note = Checkout.Read("NotePart", json);

        Assert.Multiple(() =>
        {
            Assert.That(note.GetType().Name, Is.EqualTo(variant));
            Assert.That(Get(note, "Value")!.GetType().Name, Is.EqualTo(valueType));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("NotePart", note), json));
        });
    }

    [Test]
    public void An_inline_oneOf_of_refs_with_a_discriminator_is_typed_and_round_trips()
    {
        const string json = """{"id":"o1","payment":{"code":"X"},"pinned":{"kind":"link","url":"https://example.org/a"}}""";

        var order = Checkout.Read("Order", json);
        var pinned = Get(order, "Pinned")!;

        Assert.Multiple(() =>
        {
            Assert.That(pinned.GetType().FullName, Is.EqualTo("Test.Checkout.OrderPinned+LinkAttachment"),
                "without a mapping, a variant that derives from Attachment is read by Attachment's value for it");
            Assert.That(Get(Get(pinned, "Value")!, "Url"), Is.EqualTo(new Uri("https://example.org/a")));
            Assert.That(GeneratedAssembly.SameJson(Checkout.Write("Order", order), json));
        });
    }
}
