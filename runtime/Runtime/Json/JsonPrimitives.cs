using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// The reading and writing of JSON values that every generated model shares, so generated
/// serializers stay thin. Readers start at the value's first token and end on its last token
/// (as <see cref="System.Text.Json.Serialization.JsonConverter{T}"/> does); none uses reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class JsonPrimitives
{
    /// <summary>Reads a JSON string.</summary>
    public static string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Unexpected(ref reader, "a string");

    /// <summary>Reads a JSON number as <see cref="int"/>.</summary>
    public static int ReadInt32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw Unexpected(ref reader, "a 32-bit integer");

    /// <summary>Reads a JSON number as <see cref="long"/>.</summary>
    public static long ReadInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : throw Unexpected(ref reader, "a 64-bit integer");

    /// <summary>Reads a JSON number as <see cref="double"/>.</summary>
    public static double ReadDouble(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw Unexpected(ref reader, "a number");

    /// <summary>Reads a JSON number as <see cref="decimal"/>.</summary>
    public static decimal ReadDecimal(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) ? value : throw Unexpected(ref reader, "a decimal number");

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public static bool ReadBoolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Unexpected(ref reader, "true or false"),
    };

    /// <summary>Reads an ISO 8601 timestamp.</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.TryGetDateTimeOffset(out var value)) return value;
            if (DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)) return value;
        }
        throw Unexpected(ref reader, "an ISO 8601 timestamp");
    }

    /// <summary>Reads a <c>yyyy-MM-dd</c> date.</summary>
    public static DateOnly ReadDateOnly(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw Unexpected(ref reader, "a yyyy-MM-dd date");

    /// <summary>Reads a UUID.</summary>
    public static Guid ReadGuid(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var value) ? value : throw Unexpected(ref reader, "a UUID");

    /// <summary>
    /// Reads a URI (absolute or relative), keeping its text as sent. The same text as the URI this thread
    /// read last (a deprecated alias beside its field, a link repeated) gives that same <see cref="Uri"/>,
    /// which is immutable, instead of a second parse.
    /// </summary>
    public static Uri ReadUri(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String) throw Unexpected(ref reader, "a URI");
        var raw = reader.HasValueSequence ? default : reader.ValueSpan;
        if (t_lastUri is { } last && !raw.IsEmpty && raw.SequenceEqual(t_lastUriText.AsSpan(0, t_lastUriLength))) return last;
        if (!Uri.TryCreate(reader.GetString(), UriKind.RelativeOrAbsolute, out var value)) throw Unexpected(ref reader, "a URI");
        if (!raw.IsEmpty && raw.Length <= MaxRememberedUri)
        {
            if (t_lastUriText is null || t_lastUriText.Length < raw.Length) t_lastUriText = new byte[Math.Max(256, raw.Length)];
            raw.CopyTo(t_lastUriText);
            t_lastUriLength = raw.Length;
            t_lastUri = value;
        }
        return value;
    }

    private const int MaxRememberedUri = 2048;

    // The URI this thread read last and its JSON text as it came (escapes kept).
    [ThreadStatic] private static Uri? t_lastUri;
    [ThreadStatic] private static byte[]? t_lastUriText;
    [ThreadStatic] private static int t_lastUriLength;

    /// <summary>Reads base64 text as bytes.</summary>
    public static byte[] ReadBytes(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var value) ? value : throw Unexpected(ref reader, "base64 text");

    /// <summary>Reads any JSON value as it is.</summary>
    public static JsonElement ReadJsonElement(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);

    /// <summary>Reads a JSON array.</summary>
    public static IReadOnlyList<T> ReadList<T>(ref Utf8JsonReader reader, JsonReadFunc<T> readItem)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Unexpected(ref reader, "an array");
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(readItem(ref reader));
        return items;
    }

    /// <summary>Reads a JSON object whose values all have one type.</summary>
    public static IReadOnlyDictionary<string, T> ReadMap<T>(ref Utf8JsonReader reader, JsonReadFunc<T> readValue)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(ref reader, "an object");
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            map[name] = readValue(ref reader);
        }
        return map;
    }

    /// <summary>Reads JSON <c>null</c> as null, anything else with <paramref name="read"/>.</summary>
    public static T? ReadOrNull<T>(ref Utf8JsonReader reader, JsonReadFunc<T> read) where T : class =>
        reader.TokenType == JsonTokenType.Null ? null : read(ref reader);

    /// <summary>Reads JSON <c>null</c> as null, anything else with <paramref name="read"/>.</summary>
    public static T? ReadOrNullValue<T>(ref Utf8JsonReader reader, JsonReadFunc<T> read) where T : struct =>
        reader.TokenType == JsonTokenType.Null ? null : read(ref reader);

    /// <summary>Checks that the reader is on the start of an object.</summary>
    public static void ReadStartObject(ref Utf8JsonReader reader, string typeName)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(ref reader, "an object (" + typeName + ")");
    }

    /// <summary>
    /// Moves to the next property of the current object and onto its value. <paramref name="index"/> is the
    /// property's index in <paramref name="matcher"/>, or -1 with <paramref name="name"/> set for a property
    /// the type does not know. False at the end of the object.
    /// </summary>
    public static bool NextProperty(ref Utf8JsonReader reader, JsonPropertyMatcher matcher, out int index, out string? name)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            index = -1;
            name = null;
            return false;
        }
        if (reader.TokenType != JsonTokenType.PropertyName) throw Unexpected(ref reader, "a property name");
        index = matcher.Match(ref reader);
        name = index < 0 ? reader.GetString() : null;
        if (!reader.Read()) throw new JsonException("The JSON ends inside an object.");
        return true;
    }

    /// <summary>
    /// Like <see cref="NextProperty"/>, but steps over a known property whose value is <c>null</c>: a generated reader
    /// leaves such a property unset (null), so it needs no null check of its own per property (a branch less in every
    /// case of every generated reader, which the compiler pays for). A property the type does not know is returned
    /// whatever its value, so a null one is kept and written back.
    /// </summary>
    public static bool NextNonNullProperty(ref Utf8JsonReader reader, JsonPropertyMatcher matcher, out int index, out string? name)
    {
        while (NextProperty(ref reader, matcher, out index, out name))
        {
            if (index < 0 || reader.TokenType != JsonTokenType.Null) return true;
        }
        return false;
    }

    /// <summary>Keeps a property the type does not know, as raw JSON, so it can be written back unchanged.</summary>
    public static void AddUnknown(ref JsonUnknownProperties.Builder unknown, string? name, ref Utf8JsonReader reader) =>
        unknown.Add(name ?? "", ref reader);

    /// <summary>Writes back the properties a type did not know.</summary>
    public static void WriteUnknown(Utf8JsonWriter writer, JsonUnknownProperties? unknown) => unknown?.WriteTo(writer);

    /// <summary>
    /// The string value of the property <paramref name="propertyName"/> of the object the reader is on
    /// (matched exactly, else ignoring case and underscores), without moving the caller's reader.
    /// </summary>
    public static string? PeekString(Utf8JsonReader reader, string propertyName)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Unexpected(ref reader, "an object");
        string? loose = null;
        var key = JsonPropertyMatcher.Normalize(propertyName);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var exact = reader.ValueTextEquals(propertyName);
            var similar = !exact && loose is null && JsonPropertyMatcher.Normalize(reader.GetString()!) == key;
            reader.Read();
            if ((exact || similar) && reader.TokenType == JsonTokenType.String)
            {
                if (exact) return reader.GetString();
                loose = reader.GetString();
            }
            reader.Skip();
        }
        return loose;
    }

    /// <summary>
    /// The token of the first item of the array the reader is on (<see cref="JsonTokenType.EndArray"/> when it is empty),
    /// without moving the caller's reader: a union of several arrays chooses by it.
    /// </summary>
    public static JsonTokenType PeekFirstItem(Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Unexpected(ref reader, "an array");
        if (!reader.Read()) throw new JsonException("The JSON ends inside an array.");
        return reader.TokenType;
    }

    /// <summary>The error for a required property that is missing or null.</summary>
    public static JsonException MissingProperty(string typeName, string propertyName) =>
        new($"{typeName}: the required property '{propertyName}' is missing or null.");

    /// <summary>The error for a value of the wrong JSON kind.</summary>
    public static JsonException Unexpected(ref Utf8JsonReader reader, string expected) =>
        new($"Expected {expected} but found {reader.TokenType} at byte {reader.TokenStartIndex.ToString(CultureInfo.InvariantCulture)}.");

    /// <summary>Writes a string.</summary>
    public static void WriteString(Utf8JsonWriter writer, string value) => writer.WriteStringValue(value);

    /// <summary>Writes an <see cref="int"/>.</summary>
    public static void WriteInt32(Utf8JsonWriter writer, int value) => writer.WriteNumberValue(value);

    /// <summary>Writes a <see cref="long"/>.</summary>
    public static void WriteInt64(Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);

    /// <summary>Writes a <see cref="double"/>.</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value) => writer.WriteNumberValue(value);

    /// <summary>Writes a <see cref="decimal"/>.</summary>
    public static void WriteDecimal(Utf8JsonWriter writer, decimal value) => writer.WriteNumberValue(value);

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public static void WriteBoolean(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);

    /// <summary>Writes an ISO 8601 timestamp, with <c>Z</c> for UTC and no trailing zero fractions (as most APIs send them).</summary>
    public static void WriteDateTimeOffset(Utf8JsonWriter writer, DateTimeOffset value) =>
        writer.WriteStringValue(value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    /// <summary>Writes a <c>yyyy-MM-dd</c> date.</summary>
    public static void WriteDateOnly(Utf8JsonWriter writer, DateOnly value) =>
        writer.WriteStringValue(value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture));

    /// <summary>Writes a UUID.</summary>
    public static void WriteGuid(Utf8JsonWriter writer, Guid value) => writer.WriteStringValue(value);

    /// <summary>Writes a URI as its original text.</summary>
    public static void WriteUri(Utf8JsonWriter writer, Uri value) => writer.WriteStringValue(value.OriginalString);

    /// <summary>Writes bytes as base64 text.</summary>
    public static void WriteBytes(Utf8JsonWriter writer, byte[] value) => writer.WriteBase64StringValue(value);

    /// <summary>Writes any JSON value as it is.</summary>
    public static void WriteJsonElement(Utf8JsonWriter writer, JsonElement value) => value.WriteTo(writer);

    /// <summary>Writes a JSON array.</summary>
    public static void WriteList<T>(Utf8JsonWriter writer, IEnumerable<T> items, JsonWriteAction<T> writeItem)
    {
        writer.WriteStartArray();
        foreach (var item in items) writeItem(writer, item);
        writer.WriteEndArray();
    }

    /// <summary>Writes a JSON object whose values all have one type.</summary>
    public static void WriteMap<T>(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, T>> map, JsonWriteAction<T> writeValue)
    {
        writer.WriteStartObject();
        foreach (var entry in map)
        {
            writer.WritePropertyName(entry.Key);
            writeValue(writer, entry.Value);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes null as JSON <c>null</c>, anything else with <paramref name="write"/>.</summary>
    public static void WriteOrNull<T>(Utf8JsonWriter writer, T? value, JsonWriteAction<T> write) where T : class
    {
        if (value is null) writer.WriteNullValue();
        else write(writer, value);
    }

    /// <summary>Writes null as JSON <c>null</c>, anything else with <paramref name="write"/>.</summary>
    public static void WriteOrNullValue<T>(Utf8JsonWriter writer, T? value, JsonWriteAction<T> write) where T : struct
    {
        if (value is null) writer.WriteNullValue();
        else write(writer, value.Value);
    }

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(DateOnly? value) => value?.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(Guid? value) => value?.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(Uri? value) => value?.OriginalString;

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(bool? value) => value switch { null => null, true => "true", false => "false" };

    /// <summary>Formats a value for a query string, path segment or header.</summary>
    public static string? FormatParameter(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The cursor of the next page, or null when the page says there is none (<paramref name="hasMore"/> false, or no cursor).</summary>
    public static string? NextCursor(string? cursor, bool? hasMore) => hasMore == false || string.IsNullOrEmpty(cursor) ? null : cursor;
}
