using System.Text;
using System.Text.Json;
using TinyFish.Toolkit.Runtime.Json;

namespace Runtime.Tests;

public class JsonPrimitivesTests
{
    [Test]
    public void A_URI_with_the_same_text_as_the_one_read_before_is_that_same_Uri()
    {
        var uris = ReadUris("""["https://stream.example/run_1?token=a","https://stream.example/run_1?token=a","https://stream.example/run_1?token=b","/relative/path","https://stream.example/run_1?token=b"]""");

        Assert.Multiple(() =>
        {
            Assert.That(uris.Select(u => u.OriginalString), Is.EqualTo(new[]
            {
                "https://stream.example/run_1?token=a", "https://stream.example/run_1?token=a", "https://stream.example/run_1?token=b",
                "/relative/path", "https://stream.example/run_1?token=b",
            }));
            Assert.That(uris[1], Is.SameAs(uris[0]), "the repeated text is not parsed again");
            Assert.That(uris[2], Is.Not.SameAs(uris[1]));
            Assert.That(uris[3].IsAbsoluteUri, Is.False);
            Assert.That(uris[4], Is.Not.SameAs(uris[2]), "only the last URI read is remembered");
        });
    }

    [Test]
    public void Text_that_is_not_a_URI_is_refused_even_after_a_good_one()
    {
        Assert.Throws<JsonException>(() => ReadUris("""["https://ok.example/","http://[bad"]"""));
    }

    [Test]
    public void NextNonNullProperty_steps_over_known_properties_that_are_null_and_returns_unknown_ones_whatever_their_value()
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("""{"a":null,"b":1,"x":null,"a":"two","y":{"z":null}}"""));
        reader.Read();
        var matcher = new JsonPropertyMatcher("a", "b");
        var seen = new List<string>();

        while (JsonPrimitives.NextNonNullProperty(ref reader, matcher, out var index, out var name))
        {
            seen.Add(index >= 0 ? index + ":" + reader.TokenType : name + ":" + reader.TokenType);
            reader.Skip();
        }

        Assert.That(seen, Is.EqualTo(new[] { "1:Number", "x:Null", "0:String", "y:StartObject" }));
        Assert.That(reader.TokenType, Is.EqualTo(JsonTokenType.EndObject));
    }

    private static List<Uri> ReadUris(string jsonArray)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(jsonArray));
        reader.Read();
        var uris = new List<Uri>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) uris.Add(JsonPrimitives.ReadUri(ref reader));
        return uris;
    }
}
