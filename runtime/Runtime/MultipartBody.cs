using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// Encodes a JSON object as a <c>multipart/form-data</c> body, so a generated model is sent by its own
/// JSON writer (no multipart code per type). Each top-level property is one part named after it (an
/// array: one part per item), with OpenAPI's default content types: a property the spec marks binary
/// (its bytes arrive base64-encoded from the writer) is <c>application/octet-stream</c> with the
/// property name as file name; a string, number or boolean is <c>text/plain</c>; an object is
/// <c>application/json</c>. Nulls are left out.
/// </summary>
public static class MultipartBody
{
    /// <summary>The body's bytes and its <c>Content-Type</c> (with the boundary).</summary>
    /// <param name="json">The model as JSON: an object.</param>
    /// <param name="binaryProperties">The JSON names of the properties whose (base64) strings are raw bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object, or a binary property is not base64.</exception>
    public static (byte[] Body, string ContentType) Encode(ReadOnlySpan<byte> json, IReadOnlyCollection<string> binaryProperties)
    {
        ArgumentNullException.ThrowIfNull(binaryProperties);
        using var document = FormBody.ParseObject(json, "A multipart body");
        using var content = new MultipartFormDataContent();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var binary = binaryProperties.Contains(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray()) AddPart(content, property.Name, item, binary);
            }
            else
            {
                AddPart(content, property.Name, property.Value, binary);
            }
        }
        using var stream = new MemoryStream();
        content.CopyTo(stream, context: null, CancellationToken.None);
        return (stream.ToArray(), content.Headers.ContentType!.ToString());
    }

    private static void AddPart(MultipartFormDataContent content, string name, JsonElement value, bool binary)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.String when binary:
                if (!value.TryGetBytesFromBase64(out var bytes)) throw new ArgumentException($"The binary property '{name}' is not base64.", nameof(value));
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(file, name, name);
                return;
            case JsonValueKind.Object or JsonValueKind.Array:
                content.Add(new StringContent(value.GetRawText(), Encoding.UTF8, "application/json"), name);
                return;
            case JsonValueKind.String:
                content.Add(new StringContent(value.GetString()!, Encoding.UTF8, "text/plain"), name);
                return;
            default:
                content.Add(new StringContent(value.GetRawText(), Encoding.UTF8, "text/plain"), name);
                return;
        }
    }
}
