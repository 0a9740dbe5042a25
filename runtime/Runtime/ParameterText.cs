using System.ComponentModel;
using System.Text;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>Where a parameter travels (OpenAPI's <c>in</c>; cookies are not sent).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ApiParameterLocation
{
    /// <summary>A <c>{name}</c> segment of the path.</summary>
    Path,

    /// <summary>The query string.</summary>
    Query,

    /// <summary>A request header.</summary>
    Header,
}

/// <summary>How a parameter's value is written (OpenAPI's <c>style</c>); which styles a location allows is OpenAPI's rule.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ApiParameterStyle
{
    /// <summary>Query: <c>name=v</c>; exploded, an array repeats <c>name</c> and an object's properties are fields; else comma-separated.</summary>
    Form,

    /// <summary>Query: an array's items (an object's keys and values) separated by spaces.</summary>
    SpaceDelimited,

    /// <summary>Query: an array's items (an object's keys and values) separated by <c>|</c>.</summary>
    PipeDelimited,

    /// <summary>Query: an object's properties as <c>name[key]=v</c>, nested as <c>name[a][b]=v</c>.</summary>
    DeepObject,

    /// <summary>Path and header: comma-separated (<c>a,b</c>; an object <c>k1,v1,k2,v2</c>, exploded <c>k1=v1,k2=v2</c>).</summary>
    Simple,

    /// <summary>Path: after a dot (<c>.a,b</c>; exploded <c>.a.b</c>, an object <c>.k1=v1.k2=v2</c>).</summary>
    Label,

    /// <summary>Path: as matrix parameters (<c>;name=a,b</c>; exploded <c>;name=a;name=b</c>, an object <c>;k1=v1;k2=v2</c>).</summary>
    Matrix,

    /// <summary>
    /// Path, query and header: the value's compact JSON text (<c>q={"ids":[1,2]}</c>; a string without its quotes), for a
    /// parameter that OpenAPI describes by <c>content: application/json</c> instead of a schema and style.
    /// </summary>
    Json,
}

/// <summary>
/// A parameter's JSON value as text by OpenAPI's style rules (RFC 6570 for the path styles): strings unquoted, numbers
/// as written, booleans <c>true</c>/<c>false</c>; null values, items and properties are left out. A value the style
/// has no form for — an object or array inside the object or array a style other than <c>deepObject</c> spreads — is
/// sent as its compact JSON text (<c>filter={"a":1}</c>); <c>deepObject</c> nests with brackets as a form body does
/// (<see cref="FormBody"/>).
/// </summary>
internal static class ParameterText
{
    /// <summary>The query fields of <paramref name="value"/>, added to <paramref name="fields"/> in order.</summary>
    public static void AddQuery(List<KeyValuePair<string, string>> fields, string name, JsonElement value, ApiParameterStyle style, bool explode)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return;
        switch (style)
        {
            case ApiParameterStyle.Json:
                fields.Add(new(name, Piece(value)));
                return;
            case ApiParameterStyle.DeepObject:
                FormBody.AddFields(fields, name, value);
                return;
            case ApiParameterStyle.Form when explode:
                if (value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in value.EnumerateObject())
                    {
                        if (!IsNull(property.Value)) fields.Add(new(property.Name, Piece(property.Value)));
                    }
                }
                else if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in value.EnumerateArray())
                    {
                        if (!IsNull(item)) fields.Add(new(name, Piece(item)));
                    }
                }
                else
                {
                    fields.Add(new(name, FormBody.ScalarText(value)));
                }
                return;
            case ApiParameterStyle.Form or ApiParameterStyle.SpaceDelimited or ApiParameterStyle.PipeDelimited:
                var separator = style switch { ApiParameterStyle.SpaceDelimited => " ", ApiParameterStyle.PipeDelimited => "|", _ => "," };
                fields.Add(new(name, Joined(value, separator, pair: null, AsIs)));
                return;
            default:
                throw new ArgumentException($"The style {style} is not a query parameter's (form, spaceDelimited, pipeDelimited, deepObject or json).", nameof(style));
        }
    }

    /// <summary>
    /// The text of a path or header parameter, each piece (a value, a key, the name) passed through
    /// <paramref name="escape"/> and the separators not; null for a null value.
    /// </summary>
    public static string? Value(string name, JsonElement value, ApiParameterStyle style, bool explode, Func<string, string> escape)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        var isObject = value.ValueKind == JsonValueKind.Object;
        var isList = isObject || value.ValueKind == JsonValueKind.Array;
        switch (style)
        {
            case ApiParameterStyle.Json:
                return escape(Piece(value));
            case ApiParameterStyle.Simple:
                return Joined(value, ",", pair: explode && isObject ? "=" : null, escape);
            case ApiParameterStyle.Label:
                // Exploded, each item (each key=value) after its own dot; else one dot and commas.
                return "." + Joined(value, explode && isList ? "." : ",", pair: explode && isObject ? "=" : null, escape);
            case ApiParameterStyle.Matrix:
                var prefix = ";" + escape(name) + "=";
                if (!explode || !isList) return prefix + Joined(value, ",", pair: null, escape);
                if (!isObject) return string.Concat(Items(value).Select(item => prefix + escape(Piece(item))));
                return string.Concat(value.EnumerateObject().Where(p => !IsNull(p.Value)).Select(p => ";" + escape(p.Name) + "=" + escape(Piece(p.Value))));
            default:
                throw new ArgumentException($"The style {style} is not a path or header parameter's (simple, label, matrix or json).", nameof(style));
        }
    }

    /// <summary>
    /// A scalar's text; an array's items joined by <paramref name="separator"/>; an object's keys and values joined by
    /// it, or with <paramref name="pair"/> between a key and its value (<c>k1=v1,k2=v2</c>) when that is given.
    /// </summary>
    private static string Joined(JsonElement value, string separator, string? pair, Func<string, string> escape)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                return string.Join(separator, Items(value).Select(item => escape(Piece(item))));
            case JsonValueKind.Object:
                var text = new StringBuilder();
                foreach (var property in value.EnumerateObject())
                {
                    if (IsNull(property.Value)) continue;
                    if (text.Length > 0) text.Append(separator);
                    text.Append(escape(property.Name)).Append(pair ?? separator).Append(escape(Piece(property.Value)));
                }
                return text.ToString();
            default:
                return escape(FormBody.ScalarText(value));
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement array) => array.EnumerateArray().Where(item => !IsNull(item));

    /// <summary>An item or property value: a scalar's text, else (a value nested deeper than the style spreads) its JSON.</summary>
    private static string Piece(JsonElement value) =>
        value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? value.GetRawText() : FormBody.ScalarText(value);

    private static bool IsNull(JsonElement value) => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>The pieces as they are: for a query (escaped when the URI is built), a header, or a path value escaped whole.</summary>
    public static readonly Func<string, string> AsIs = static text => text;
}
