using System.Text;
using System.Text.Json;
using TinyFish.Toolkit.Runtime;
using TinyFish.Toolkit.Runtime.Json;

namespace Runtime.Tests;

public class ApiErrorBodyReaderTests
{
    private static readonly JsonReadFunc<string> ReadString = JsonPrimitives.ReadString;
    private static readonly JsonReadFunc<JsonElement> ReadElement = JsonPrimitives.ReadJsonElement;

    [Test]
    public void The_same_reader_and_required_properties_give_the_same_instance_so_registering_per_call_does_not_allocate()
    {
        var first = ApiErrorBodyReader.Of(ReadElement, "error");
        var again = ApiErrorBodyReader.Of(ReadElement, "error");
        var other = ApiErrorBodyReader.Of(ReadElement, "status");

        Assert.That(again, Is.SameAs(first));
        Assert.That(other, Is.Not.SameAs(first));
        Assert.That(first.BodyType, Is.EqualTo(typeof(JsonElement)));
    }

    [Test]
    public void TryRead_is_false_for_an_empty_body_invalid_JSON_a_wrong_token_or_a_missing_required_property()
    {
        var strings = ApiErrorBodyReader.Of(ReadString);
        var objects = ApiErrorBodyReader.Of(ReadElement, "error");

        Assert.That(strings.TryRead([], out _), Is.False);
        Assert.That(strings.TryRead("{\"a\":"u8, out _), Is.False);
        Assert.That(strings.TryRead("{}"u8, out _), Is.False);
        Assert.That(objects.TryRead("\"text\""u8, out _), Is.False);
        Assert.That(objects.TryRead("""{"status":"FAILED"}"""u8, out _), Is.False);
        Assert.That(strings.TryRead("\"boom\""u8, out var text), Is.True);
        Assert.That(text, Is.EqualTo("boom"));
    }

    [Test]
    public void Required_properties_are_looked_for_only_at_the_top_level()
    {
        var reader = ApiErrorBodyReader.Of(ReadElement, "status");

        Assert.That(reader.TryRead("""{"error":{"status":"x"}}"""u8, out _), Is.False);
        Assert.That(reader.TryRead(Encoding.UTF8.GetBytes("""{"error":{"status":"x"},"status":"FAILED"}"""), out var body), Is.True);
        Assert.That(((JsonElement)body!).GetProperty("status").GetString(), Is.EqualTo("FAILED"));
    }
}
