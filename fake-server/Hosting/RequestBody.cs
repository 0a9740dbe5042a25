using Microsoft.AspNetCore.Http;

namespace TinyFish.FakeServer.Hosting;

/// <summary>The request body, read once by the journal and shared with the endpoints.</summary>
internal sealed class RequestBody(byte[] bytes, int length, bool tooLarge)
{
    public ReadOnlyMemory<byte> Bytes => bytes.AsMemory(0, length);

    /// <summary>True when the body was larger than <see cref="FakeTinyFishOptions.MaxRequestBodyBytes"/> (only the start was kept).</summary>
    public bool TooLarge => tooLarge;

    public static RequestBody Of(HttpContext context) =>
        context.Items[typeof(RequestBody)] as RequestBody ?? throw new InvalidOperationException("The body was not read.");

    public static async Task<RequestBody> ReadAsync(HttpContext context, int limit)
    {
        var buffer = new byte[Math.Min(limit + 1, 16 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit) break;
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
            }
            var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
        }
        var body = length > limit ? new RequestBody(buffer, limit, tooLarge: true) : new RequestBody(buffer, length, tooLarge: false);
        context.Items[typeof(RequestBody)] = body;
        return body;
    }
}
