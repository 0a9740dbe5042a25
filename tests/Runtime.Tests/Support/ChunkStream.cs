using System.Text;
using System.Threading.Channels;
using Tests.Shared;
namespace Runtime.Tests.Support;

/// <summary>A response body the test writes into while the client reads: text chunks, a failure, or the end.</summary>
public sealed class ChunkStream : ReadOnlyStream
{
    private readonly Channel<object> _chunks = Channel.CreateUnbounded<object>();
    private ReadOnlyMemory<byte> _pending;

    public ChunkStream Write(string text)
    {
        _chunks.Writer.TryWrite(Encoding.UTF8.GetBytes(text));
        return this;
    }

    public ChunkStream Fail(Exception exception)
    {
        _chunks.Writer.TryWrite(exception);
        return this;
    }

    public ChunkStream End()
    {
        _chunks.Writer.TryComplete();
        return this;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pending.IsEmpty)
        {
            object item;
            try
            {
                item = await _chunks.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException)
            {
                return 0;
            }
            if (item is Exception e) throw e;
            _pending = (byte[])item;
        }
        var count = Math.Min(buffer.Length, _pending.Length);
        _pending[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }
}
