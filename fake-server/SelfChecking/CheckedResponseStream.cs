using System.Buffers;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Hosting;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// The response body as the endpoints see it while the self-check is on. JSON is held until the
/// response ends; event-stream frames are checked one by one before they go on; anything else goes
/// straight through.
/// </summary>
internal sealed class CheckedResponseStream(HttpContext context, ResponseCheck check, Stream inner) : WriteOnlyStream
{
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _held = new();
    private BodyMode? _mode;
    private bool _aborted;

    /// <summary>Whether the endpoint wrote any byte (the response counts as started then).</summary>
    public bool AnyWritten { get; private set; }

    /// <summary>The mode, once the first byte was written.</summary>
    public BodyMode? Mode => _mode;

    /// <summary>The JSON held back in <see cref="BodyMode.Buffer"/> mode.</summary>
    public ReadOnlyMemory<byte> Held => _held.WrittenMemory;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || _aborted) return;
        AnyWritten = true;
        if (_mode is null)
        {
            _mode = check.Decide(hasBody: true);
            if (check.Found.Count > 0 && _mode != BodyMode.Buffer)
            {
                Abort(check.Found);
                return;
            }
        }
        switch (_mode)
        {
            case BodyMode.Buffer:
                _held.Write(buffer.Span);
                return;
            case BodyMode.Events:
                _held.Write(buffer.Span);
                await PassCompleteFramesAsync(cancellationToken).ConfigureAwait(false);
                return;
            default:
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _mode is BodyMode.Buffer || _aborted ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    /// <summary>At the end of an event stream: a frame without its blank line is a violation too.</summary>
    public async Task FinishEventsAsync(CancellationToken cancellationToken)
    {
        if (_mode != BodyMode.Events || _aborted || _held.WrittenCount == 0) return;
        var rest = _held.WrittenMemory.ToArray();
        _held.Clear();
        var violation = check.CheckEvent(rest);
        check.Record(violation ?? new SelfCheckViolation(context.Request.Method, $"{context.Request.Path}{context.Request.QueryString}", null,
            context.Response.StatusCode, "end of stream", [new SelfCheckError("$", "sse", "the stream ended inside a frame (no blank line after it)", "")], System.Text.Encoding.UTF8.GetString(rest)));
        await inner.WriteAsync(rest, cancellationToken).ConfigureAwait(false);
    }

    private async Task PassCompleteFramesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var held = _held.WrittenMemory;
            var end = held.Span.IndexOf(FrameEnd);
            if (end < 0) return;
            var frame = held[..end].ToArray();
            var rest = held[(end + FrameEnd.Length)..].ToArray();
            _held.Clear();
            _held.Write(rest);
            if (check.CheckEvent(frame) is { } violation)
            {
                // The good events before it reach the client; the bad one never does.
                await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
                Abort([violation]);
                return;
            }
            await inner.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await inner.WriteAsync(FrameEnd, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A stream cannot be turned into a 500 once it has begun: the client's connection drops instead.</summary>
    private void Abort(IEnumerable<SelfCheckViolation> violations)
    {
        foreach (var violation in violations) check.Record(violation);
        _aborted = true;
        _held.Clear();
        context.Abort();
    }
}
