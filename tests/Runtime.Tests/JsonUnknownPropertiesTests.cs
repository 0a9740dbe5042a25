using System.Buffers;
using System.Text;
using System.Text.Json;
using TinyFish.Toolkit.Runtime.Json;

namespace Runtime.Tests;

public class JsonUnknownPropertiesTests
{
    private static readonly JsonPropertyMatcher Known = new("id");

    [Test]
    public void Unknown_properties_of_every_kind_are_written_back_byte_for_byte()
    {
        const string json = """{"id":"r1","n":-1.5e3,"t":true,"z":null,"s":"a\"b\u00e9\n","o":{"a":[1,{"b":[]},{}],"c":"d"},"e":[],"x":{}}""";

        var (id, unknown) = Read(json);

        Assert.That(id, Is.EqualTo("r1"));
        Assert.That(unknown!.ToString(), Is.EqualTo("""{"n":-1.5e3,"t":true,"z":null,"s":"a\"b\u00e9\n","o":{"a":[1,{"b":[]},{}],"c":"d"},"e":[],"x":{}}"""));
        Assert.That(Write(id, unknown), Is.EqualTo(json));
    }

    [Test]
    public void An_object_without_unknown_properties_keeps_none()
    {
        var (_, unknown) = Read("""{"id":"r1"}""");

        Assert.That(unknown, Is.Null);
    }

    [Test]
    public void Unknown_properties_read_by_name_as_JsonElements()
    {
        var (_, unknown) = Read("""{"a":{"kept":"as is"},"id":"r1","b\"q":[1,2],"a":3}""");

        Assert.Multiple(() =>
        {
            Assert.That(unknown!.Keys, Is.EquivalentTo(new[] { "a", "b\"q" }));
            Assert.That(unknown["a"].GetInt32(), Is.EqualTo(3), "the last of a repeated name, as JsonDocument reads it");
            Assert.That(unknown.TryGetValue("b\"q", out var list) && list.GetArrayLength() == 2, Is.True);
            Assert.That(unknown.ContainsKey("id"), Is.False);
        });
        Assert.That(Write("r1", unknown), Is.EqualTo("""{"id":"r1","a":{"kept":"as is"},"b\"q":[1,2],"a":3}"""), "a repeated name is written back as it came");
    }

    [Test]
    public void A_name_with_a_control_character_is_kept_as_valid_JSON()
    {
        var (_, unknown) = Read("{\"id\":\"r1\",\"tab\\there\":1}");

        Assert.That(unknown!["tab\there"].GetInt32(), Is.EqualTo(1));
        Assert.That(JsonDocument.Parse(unknown.Utf8Json).RootElement.GetProperty("tab\there").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void Values_split_across_segments_are_copied_whole()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"id":"r1","long":"0123456789abcdef","arr":[12345,67890]}""");
        var sequence = Segments.Of(bytes, size: 3);
        var reader = new Utf8JsonReader(sequence);
        reader.Read();

        var (_, unknown) = ReadObject(ref reader);

        Assert.That(unknown!.ToString(), Is.EqualTo("""{"long":"0123456789abcdef","arr":[12345,67890]}"""));
    }

    [Test]
    public void From_keeps_given_properties_and_none_gives_null()
    {
        using var document = JsonDocument.Parse("""{"v":[1,"two"]}""");
        var unknown = JsonUnknownProperties.From([new("extra", document.RootElement)]);

        Assert.Multiple(() =>
        {
            Assert.That(Write("r1", unknown), Is.EqualTo("""{"id":"r1","extra":{"v":[1,"two"]}}"""));
            Assert.That(JsonUnknownProperties.From([]), Is.Null);
            Assert.That(JsonUnknownProperties.From(null), Is.Null);
        });
    }

    [Test]
    public void A_value_cut_short_is_a_JsonException()
    {
        Assert.Catch<JsonException>(() => Read("""{"id":"r1","o":{"a":[1,2"""));
    }

    private static (string? Id, JsonUnknownProperties? Unknown) Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return ReadObject(ref reader);
    }

    // What a generated reader does with a model that declares only "id".
    private static (string? Id, JsonUnknownProperties? Unknown) ReadObject(ref Utf8JsonReader reader)
    {
        string? id = null;
        JsonUnknownProperties.Builder unknown = default;
        while (JsonPrimitives.NextProperty(ref reader, Known, out var index, out var name))
        {
            if (index == 0) id = reader.GetString();
            else JsonPrimitives.AddUnknown(ref unknown, name, ref reader);
        }
        return (id, unknown.Build());
    }

    private static string Write(string? id, JsonUnknownProperties? unknown)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            JsonPrimitives.WriteUnknown(writer, unknown);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public static ReadOnlySequence<byte> Of(byte[] bytes, int size)
        {
            var first = new Segments(bytes.AsMemory(0, Math.Min(size, bytes.Length)), 0);
            var last = first;
            for (var at = size; at < bytes.Length; at += size)
            {
                var next = new Segments(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)), at);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
