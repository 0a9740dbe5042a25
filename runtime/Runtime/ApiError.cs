using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>An error as the API reports it in an error response's body (read by <see cref="ApiErrorConventions.ReadError"/>).</summary>
/// <param name="Code">The machine-readable code, e.g. <c>INVALID_INPUT</c>.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Details">Further details as the server sent them (mostly on 400), or null.</param>
public sealed record ApiError(string Code, string Message, JsonElement? Details)
{
    /// <summary>
    /// Reads an error body with <see cref="ApiErrorConventions.ReadConventionalError"/>
    /// (<c>{"error":{"code","message","details"}}</c>, a bare <c>{"code","message"}</c> or an RFC 9457 problem);
    /// null when the body is not JSON or not such an error.
    /// </summary>
    public static ApiError? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return ApiErrorConventions.ReadConventionalError(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
