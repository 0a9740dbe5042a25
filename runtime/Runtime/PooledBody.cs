using System.Buffers;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// A success body read from the content stream into one array rented from <see cref="ArrayPool{T}.Shared"/>
/// (sized by Content-Length when the server sends it), handed to the reader as a span and returned
/// when disposed. A 226 KB page of runs then costs no fresh large-object-heap array per call, and the
/// bytes are copied once, from the transport into the buffer.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private const int UnknownLengthGuess = 16 * 1024;

    private byte[] _buffer = [];

    public int Length { get; private set; }

    /// <summary>The content last read; another one means a strategy outside the attempt supplied the answer.</summary>
    public HttpContent? Source { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Reads the whole content, replacing what an earlier attempt read.</summary>
    public async Task ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        Length = 0;
        Source = content;
        // One byte more than announced, so the read that sees the end never has to grow the buffer.
        var announced = content.Headers.ContentLength;
        Rent(announced is { } known and < int.MaxValue ? (int)known + 1 : UnknownLengthGuess);
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while ((read = await stream.ReadAsync(_buffer.AsMemory(Length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                Length += read;
                if (Length == _buffer.Length) Rent(checked(_buffer.Length * 2));
            }
        }
    }

    public byte[] ToArray() => Span.ToArray();

    public void Dispose()
    {
        Return();
        Length = 0;
    }

    private void Rent(int size)
    {
        if (size <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(size);
        Span.CopyTo(larger);
        Return();
        _buffer = larger;
    }

    private void Return()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
