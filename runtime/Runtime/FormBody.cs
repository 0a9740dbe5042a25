using System.Text;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// Encodes a JSON object as an <c>application/x-www-form-urlencoded</c> body, so a generated model is
/// sent as a form by its own JSON writer (no form code per type). Top-level values are fields
/// (<c>name=Rex</c>); arrays repeat their key (<c>tag=a&amp;tag=b</c>, OpenAPI's default
/// <c>form</c> + <c>explode</c>); nested objects and arrays of objects use brackets
/// (<c>owner[name]=Ann</c>, <c>items[0][price]=5</c>, the <c>deepObject</c> style); nulls are left out;
/// booleans are <c>true</c>/<c>false</c>; numbers are written as in the JSON.
/// </summary>
public static class FormBody
{
    /// <summary>The form fields of <paramref name="json"/>, a JSON object, in order.</summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Fields(ReadOnlySpan<byte> json)
    {
        using var document = ParseObject(json, "A form body");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var property in document.RootElement.EnumerateObject()) AddFields(fields, property.Name, property.Value);
        return fields;
    }

    /// <summary>The encoded body: <c>key=value</c> pairs joined with <c>&amp;</c>, each part escaped as RFC 3986 data.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> json)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Fields(json))
        {
            if (text.Length > 0) text.Append('&');
            text.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>The model's JSON, which must be an object (a form's fields, a multipart body's parts).</summary>
    internal static JsonDocument ParseObject(ReadOnlySpan<byte> json, string what)
    {
        var reader = new Utf8JsonReader(json);
        var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
        var kind = document.RootElement.ValueKind;
        document.Dispose();
        throw new ArgumentException($"{what} is a JSON object, not {kind}.", nameof(json));
    }

    /// <summary>
    /// The fields of one value under <paramref name="key"/>, as a form body writes a top-level property: also how a
    /// <c>deepObject</c> query parameter is sent (<see cref="ParameterText"/>).
    /// </summary>
    internal static void AddFields(List<KeyValuePair<string, string>> fields, string key, JsonElement value) =>
        Add(fields, key, value, repeatArrays: true);

    private static void Add(List<KeyValuePair<string, string>> fields, string key, JsonElement value, bool repeatArrays)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject()) Add(fields, key + "[" + property.Name + "]", property.Value, repeatArrays: false);
                return;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    // A flat array at the top level repeats its key; anything deeper needs the index to stay unambiguous.
                    var simple = item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);
                    Add(fields, repeatArrays && simple ? key : key + "[" + index + "]", item, repeatArrays: false);
                    index++;
                }
                return;
            default:
                fields.Add(new(key, ScalarText(value)));
                return;
        }
    }

    /// <summary>A string, number or boolean as text: a string unquoted, a number as written, <c>true</c>/<c>false</c>.</summary>
    internal static string ScalarText(JsonElement value) =>
        // Numbers and booleans: the raw JSON token is already the text form.
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
