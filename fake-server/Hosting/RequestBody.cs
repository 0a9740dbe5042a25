using Microsoft.AspNetCore.Http;

namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// The request body, read once by the journal and shared with the endpoints: at most
/// <see cref="FakeTinyFishOptions.MaxRequestBodyBytes"/> of it, or why it could not be read.
/// </summary>
internal sealed class RequestBody
{
    private static readonly RequestBody Empty = new([], 0, 0, null);

    private readonly byte[] _bytes;
    private readonly int _length;

    private RequestBody(byte[] bytes, int length, long received, RequestBodyFailure? failure)
    {
        _bytes = bytes;
        _length = length;
        Received = received;
        Failure = failure;
    }

    /// <summary>The body as read (empty when it was refused before reading, cut when it was too large).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes.AsMemory(0, _length);

    /// <summary>How many bytes arrived (or were announced by <c>Content-Length</c> when refused unread).</summary>
    public long Received { get; }

    /// <summary>Why the body cannot be used; null when it was read whole.</summary>
    public RequestBodyFailure? Failure { get; }

    public static RequestBody Of(HttpContext context) =>
        context.Items[typeof(RequestBody)] as RequestBody ?? throw new InvalidOperationException("The body was not read.");

    /// <summary>
    /// Reads up to <paramref name="limit"/> bytes. A larger body is refused — unread when its
    /// <c>Content-Length</c> says so, else once the limit is passed — and a body the server could not
    /// read (too slow, broken chunking, cut off) becomes a <see cref="Failure"/> instead of an exception.
    /// </summary>
    public static async Task<RequestBody> ReadAsync(HttpContext context, int limit)
    {
        var body = await ReadCoreAsync(context, limit).ConfigureAwait(false);
        context.Items[typeof(RequestBody)] = body;
        return body;
    }

    private static async Task<RequestBody> ReadCoreAsync(HttpContext context, int limit)
    {
        var announced = context.Request.ContentLength;
        if (announced > limit) return new RequestBody([], 0, announced.Value, new RequestBodyFailure(RequestBodyFailureKind.TooLarge, null));
        if (announced == 0) return Empty;
        var buffer = new byte[Math.Min(limit + 1, announced is { } size ? (int)size + 1 : 16 * 1024)];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) break;
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1L));
                }
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
            }
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's own limits and timeouts (data arriving too slowly, broken chunked encoding):
            // answered by the fake with the envelope, not left to surface as a 500.
            var kind = exception.StatusCode == StatusCodes.Status408RequestTimeout ? RequestBodyFailureKind.TooSlow
                : exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? RequestBodyFailureKind.TooLarge
                : RequestBodyFailureKind.Unreadable;
            return new RequestBody(buffer, length, length, new RequestBodyFailure(kind, exception.Message));
        }
        catch (IOException exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            return new RequestBody(buffer, length, length, new RequestBodyFailure(RequestBodyFailureKind.Unreadable, exception.Message));
        }
        return length > limit
            ? new RequestBody(buffer, limit, length, new RequestBodyFailure(RequestBodyFailureKind.TooLarge, null))
            : new RequestBody(buffer, length, length, null);
    }
}

/// <summary>Why a request body cannot be used.</summary>
internal enum RequestBodyFailureKind
{
    /// <summary>Over the fake's limit: 400 <c>INVALID_INPUT</c> on <c>body</c>, as for any other invalid body.</summary>
    TooLarge,

    /// <summary>The body stopped arriving (the server's minimum data rate): 408 <c>REQUEST_TIMEOUT</c>.</summary>
    TooSlow,

    /// <summary>The server could not read it (bad chunked encoding, cut off): 400 <c>INVALID_INPUT</c>.</summary>
    Unreadable,
}

/// <summary>A body that cannot be used, and the server's words for why (null when the fake decided).</summary>
internal sealed record RequestBodyFailure(RequestBodyFailureKind Kind, string? ServerMessage);
