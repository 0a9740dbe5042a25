using System.ComponentModel;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// Reads the body of an error response into the model the spec declares for that status, so that
/// <see cref="ApiException.Body"/> carries it. Built by generated code through
/// <see cref="ApiRequest.WithErrorBody{T}(int, JsonReadFunc{T}, string[])"/> and its siblings.
/// </summary>
/// <remarks>
/// A reader with required properties reads only a JSON object that has every one of them at its top
/// level (matched like the generated readers match: exactly, else ignoring case, <c>_</c> and <c>-</c>).
/// That is how the variants of a <c>oneOf</c>/<c>anyOf</c> without a discriminator are told apart:
/// the first variant whose required properties are present and whose reader succeeds wins.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ApiErrorBodyReader
{
    private readonly string[] _requiredProperties;
    private readonly string[] _requiredKeys;

    private protected ApiErrorBodyReader(string[] requiredProperties)
    {
        _requiredProperties = requiredProperties;
        _requiredKeys = requiredProperties.Length == 0 ? requiredProperties : Array.ConvertAll(requiredProperties, Json.JsonPropertyMatcher.Normalize);
    }

    /// <summary>The type of the model this reader produces.</summary>
    public abstract Type BodyType { get; }

    /// <summary>
    /// A reader of <typeparamref name="T"/>. Generated code passes the same static method each call, so
    /// the reader is reused rather than allocated per request.
    /// </summary>
    /// <param name="read">The generated reader of <typeparamref name="T"/>.</param>
    /// <param name="requiredProperties">JSON property names the body must have for this reader to try it.</param>
    public static ApiErrorBodyReader Of<T>(JsonReadFunc<T> read, params string[] requiredProperties)
    {
        ArgumentNullException.ThrowIfNull(read);
        requiredProperties ??= [];
        var last = Cache<T>.Last;
        if (last is not null && last.Read == read && last.HasRequired(requiredProperties)) return last;
        var created = new Typed<T>(read, (string[])requiredProperties.Clone());
        Cache<T>.Last = created;
        return created;
    }

    /// <summary>
    /// Decodes <paramref name="body"/>; false (and no exception) when it is empty, not JSON, lacks a
    /// required property or does not fit the model.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> body, out object? value)
    {
        value = null;
        if (body.IsEmpty) return false;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read()) return false;
            if (_requiredKeys.Length > 0 && !HasRequiredProperties(reader)) return false;
            value = ReadValue(ref reader);
            return value is not null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Generated readers report a body that does not fit this way; the generic error stays.
            value = null;
            return false;
        }
    }

    private protected abstract object? ReadValue(ref Utf8JsonReader reader);

    private bool HasRequired(string[] requiredProperties) => _requiredProperties.AsSpan().SequenceEqual(requiredProperties);

    /// <summary>Whether the object the reader is on has every required property (the caller's reader does not move).</summary>
    private bool HasRequiredProperties(Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        Span<bool> found = _requiredKeys.Length <= 32 ? stackalloc bool[_requiredKeys.Length] : new bool[_requiredKeys.Length];
        var missing = _requiredKeys.Length;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? key = null;
            for (var i = 0; i < _requiredKeys.Length; i++)
            {
                if (found[i]) continue;
                if (reader.ValueTextEquals(_requiredProperties[i]) || (key ??= Json.JsonPropertyMatcher.Normalize(reader.GetString()!)) == _requiredKeys[i])
                {
                    found[i] = true;
                    missing--;
                    break;
                }
            }
            if (missing == 0) return true;
            reader.Read();
            reader.Skip();
        }
        return missing == 0;
    }

    private sealed class Typed<T>(JsonReadFunc<T> read, string[] requiredProperties) : ApiErrorBodyReader(requiredProperties)
    {
        public JsonReadFunc<T> Read { get; } = read;

        public override Type BodyType => typeof(T);

        private protected override object? ReadValue(ref Utf8JsonReader reader) => Read(ref reader);
    }

    // One slot per model type: generated code registers the same static reader on every call.
    private static class Cache<T>
    {
        public static Typed<T>? Last;
    }
}
