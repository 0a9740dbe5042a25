using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>The <c>error</c> object of an API error envelope.</summary>
/// <param name="Code">The machine-readable code, e.g. <c>INVALID_INPUT</c>.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Details">Further details as the server sent them (mostly on 400), or null.</param>
public sealed record ApiError(string Code, string Message, JsonElement? Details)
{
    /// <summary>
    /// Reads <c>{"error":{"code","message","details"}}</c> (or a bare <c>{"code","message"}</c>);
    /// null when the body is not such an envelope.
    /// </summary>
    public static ApiError? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var error = root.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (code is null && message is null) return null;
            JsonElement? details = error.TryGetProperty("details", out var d) && d.ValueKind != JsonValueKind.Null ? d.Clone() : null;
            return new ApiError(code ?? "", message ?? "", details);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
