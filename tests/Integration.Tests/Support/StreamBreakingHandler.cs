using System.Net;
using Tests.Shared;
namespace Integration.Tests.Support;

/// <summary>
/// Lets an event-stream response through until <c>framesBeforeDrop</c> SSE frames have been read,
/// then fails the next read the way a dropped connection does.
/// </summary>
public sealed class StreamBreakingHandler(HttpMessageHandler inner, int framesBeforeDrop) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream") return response;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var broken = new StreamContent(new BreakingStream(stream, framesBeforeDrop));
        foreach (var header in response.Content.Headers) broken.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = broken;
        return response;
    }

    private sealed class BreakingStream(Stream inner, int framesBeforeDrop) : ReadOnlyStream
    {
        private int _frames;
        private byte _last;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_frames >= framesBeforeDrop) throw new IOException("The connection was reset (simulated).");
            // One byte at a time, so the drop lands exactly after the chosen frame.
            var read = await inner.ReadAsync(buffer[..1], cancellationToken);
            if (read == 1)
            {
                if (_last == (byte)'\n' && buffer.Span[0] == (byte)'\n') _frames++;
                _last = buffer.Span[0];
            }
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
