using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// Gives the error answers Kestrel writes itself — for a request it refuses before the fake sees it
/// (a request line or headers over its limits, a malformed request, headers that never finish) —
/// the API's <c>ErrorEnvelope</c>, as the spec says every error has. Kestrel writes those as a bare
/// status line with <c>Content-Length: 0</c> and closes the connection; this connection middleware
/// watches each flush that starts a response and fills such an answer in. The fake's own answers
/// always carry a <c>Content-Type</c>, so they are never touched.
/// </summary>
internal static class BelowTheAppErrors
{
    public static ConnectionDelegate Use(ConnectionDelegate next) => async connection =>
    {
        var original = connection.Transport;
        var output = new EnvelopingStream(original.Output.AsStream(leaveOpen: true));
        var writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        connection.Transport = new Duplex(original.Input, writer);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
            connection.Transport = original;
        }
    };

    /// <summary>The envelope for a status Kestrel answered on its own.</summary>
    internal static byte[] Envelope(int status)
    {
        var (code, message) = status switch
        {
            400 => ("INVALID_INPUT", "The request is not valid HTTP/1.1 (malformed request line, header or framing)"),
            408 => ("REQUEST_TIMEOUT", "The request headers did not arrive in time"),
            413 => ("PAYLOAD_TOO_LARGE", "The request body is too large"),
            414 => ("URI_TOO_LONG", "The request line is too long"),
            431 => ("REQUEST_HEADERS_TOO_LARGE", "The request headers are too large"),
            505 => ("HTTP_VERSION_NOT_SUPPORTED", "Only HTTP/1.1 and HTTP/1.0 are served"),
            _ when status >= 500 => ("INTERNAL_ERROR", "The server failed before the request reached the fake"),
            _ => ("INVALID_INPUT", "The server refused the request before it reached the fake"),
        };
        return JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(new ErrorBody(code, $"{message} (HTTP {status.ToString(CultureInfo.InvariantCulture)}).", null)), FakeJsonContext.Wire.ErrorEnvelope);
    }

    /// <summary>
    /// The bare answer rewritten with the envelope, or null when <paramref name="flush"/> is anything
    /// else: it must be one whole response head, status 4xx/5xx, <c>Content-Length: 0</c>, no <c>Content-Type</c>.
    /// </summary>
    internal static byte[]? Rewrite(ReadOnlySpan<byte> flush)
    {
        if (!flush.StartsWith("HTTP/1."u8) || flush.Length < 16 || !flush.EndsWith("\r\n\r\n"u8)) return null;
        var head = Encoding.Latin1.GetString(flush[..^2]);
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400) return null;
        var headers = lines.Skip(1).ToList();
        if (headers.Any(static line => line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
            || !headers.Any(static line => line.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        var body = Envelope(status);
        var rewritten = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var line in headers)
        {
            rewritten.Append(line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) ? $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}" : line).Append("\r\n");
        }
        rewritten.Append("Content-Type: application/json; charset=utf-8\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(rewritten.ToString()), .. body];
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// Passes bytes on, except that a flush starting with an error status line is held until the
    /// flush and rewritten when it is one of Kestrel's bare answers.
    /// </summary>
    private sealed class EnvelopingStream(Stream inner) : WriteOnlyStream
    {
        private readonly ArrayBufferWriter<byte> _held = new();
        private bool _atFlushStart = true;
        private bool _holding;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty) return;
            if (_atFlushStart)
            {
                _atFlushStart = false;
                _holding = buffer.Span.StartsWith("HTTP/1."u8) && buffer.Length > 9 && buffer.Span[9] is (byte)'4' or (byte)'5';
            }
            if (_holding) _held.Write(buffer.Span);
            else await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_holding)
            {
                var held = _held.WrittenMemory;
                var rewritten = Rewrite(held.Span);
                await inner.WriteAsync(rewritten ?? held, cancellationToken).ConfigureAwait(false);
                _held.Clear();
                _holding = false;
            }
            _atFlushStart = true;
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _holding) Flush();
            base.Dispose(disposing);
        }
    }
}
