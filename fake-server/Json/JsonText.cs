using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TinyFish.FakeServer.Json;

/// <summary>
/// What a request body must be before it is parsed or stored, beyond what a JSON parser checks:
/// text that every later answer can write back.
/// </summary>
internal static class JsonText
{
    /// <summary>
    /// How deep a request body may nest. Stored values (<c>output_schema</c>, a scenario's result) sit
    /// a few levels down in an answer (<c>data[i].output_schema</c>), and writers stop at 64, so a
    /// body of at most 32 levels can always be written back.
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The path (<c>runs[0].goal</c>; <c>body</c> at the root) of the first string or property name
    /// holding an escaped lone UTF-16 surrogate (<c>"\ud800"</c>), which is valid JSON text but no
    /// valid string: reading it throws, and so would every answer that wrote it back. Null when none.
    /// </summary>
    /// <remarks>
    /// Only escaped tokens are decoded: raw UTF-8 has been checked to be valid before. Text that is
    /// not JSON, or nests too deep, gives null here and is reported by the parser.
    /// </remarks>
    public static string? FindLoneSurrogate(ReadOnlySpan<byte> json)
    {
        try
        {
            return FindLoneSurrogateIn(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FindLoneSurrogateIn(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        var frames = new List<Frame>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!TryDecode(ref reader, out var name)) return $"{PathOf(frames, upTo: frames.Count - 1)} (a property name)";
                frames[^1] = frames[^1] with { Name = name };
                continue;
            }
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }
            if (frames.Count > 0 && frames[^1].IsArray) frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, null, -1));
            }
            else if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && !TryDecode(ref reader, out _))
            {
                return PathOf(frames, upTo: frames.Count);
            }
        }
        return null;
    }

    private static bool TryDecode(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The path of the current value of the first <paramref name="upTo"/> frames, as validation errors name fields.</summary>
    private static string PathOf(List<Frame> frames, int upTo)
    {
        var text = new StringBuilder();
        for (var i = 0; i < upTo; i++)
        {
            if (frames[i].IsArray) text.Append('[').Append(frames[i].Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else text.Append(text.Length == 0 ? "" : ".").Append(frames[i].Name);
        }
        return text.Length == 0 ? "body" : text.ToString();
    }

    private readonly record struct Frame(bool IsArray, string? Name, int Index);
}
