using System.Collections.Concurrent;
using System.Net;

namespace TinyFish.FakeServer.Time;

/// <summary>
/// The client's end of the in-process transport: opens an <see cref="Exchange"/> per request, records
/// when the client's code sees the response and each read, fails a wait the clock can no longer end,
/// and makes a dropped connection look like one on a socket — an <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class ExchangeHandler(OpenExchanges exchanges, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var exchange = exchanges.Open($"{request.Method} {request.RequestUri?.PathAndQuery}");
        Exchange.Current = exchange;
        using var failing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, exchange.Failure);
        using var cancelling = cancellationToken.UnsafeRegister(static e => ((Exchange)e!).Cancelling(), exchange);
        HttpResponseMessage response;
        try
        {
            var sending = base.SendAsync(request, failing.Token);
            var woken = !sending.IsCompleted;
            response = await sending.ConfigureAwait(false);
            if (woken) await exchange.LeaveTheFakesThreadAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            exchanges.Close(exchange);
            // However the transport reported the abandoned request, the reason is the stall.
            if (exchange.FailedWith is { } stall && !cancellationToken.IsCancellationRequested) throw new VirtualTimeStallException(stall.Reason, stall.Pending);
            // Whatever TestHost raised for a dropped connection, a socket client would see this.
            if (exception is not HttpRequestException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The server dropped the connection.", exception);
            }
            throw;
        }
        exchange.ResponseSeen();
        response.Content = new ExchangeContent(response.Content, exchange, exchanges);
        return response;
    }

    /// <summary>The response's content, read through an <see cref="ExchangeStream"/>.</summary>
    private sealed class ExchangeContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Exchange _exchange;
        private readonly OpenExchanges _exchanges;

        public ExchangeContent(HttpContent inner, Exchange exchange, OpenExchanges exchanges)
        {
            _inner = inner;
            _exchange = exchange;
            _exchanges = exchanges;
            foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new ExchangeStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _exchange, _exchanges);

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _exchanges.Close(_exchange);
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Records each read as seen by the client's code, once that code runs again.</summary>
    private sealed class ExchangeStream(Stream inner, Exchange exchange, OpenExchanges exchanges) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            exchange.ReadStarting();
            var read = 0;
            try
            {
                read = inner.Read(buffer);
                return read;
            }
            finally
            {
                exchange.ReadSeen(read);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            exchange.ReadStarting();
            var read = 0;
            try
            {
                using var cancelling = cancellationToken.UnsafeRegister(static e => ((Exchange)e!).Cancelling(), exchange);
                using var failing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, exchange.Failure);
                var reading = inner.ReadAsync(buffer, failing.Token);
                if (reading.IsCompleted) return read = reading.GetAwaiter().GetResult();
                read = await reading.ConfigureAwait(false);
                await exchange.LeaveTheFakesThreadAsync().ConfigureAwait(false);
                return read;
            }
            catch (Exception) when (exchange.FailedWith is { } stall && !cancellationToken.IsCancellationRequested)
            {
                throw new VirtualTimeStallException(stall.Reason, stall.Pending);
            }
            finally
            {
                exchange.ReadSeen(read);
            }
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                exchanges.Close(exchange);
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>The exchanges of a fake's in-process clients that are not over yet: for stall messages and for failing what a stall leaves waiting.</summary>
internal sealed class OpenExchanges(VirtualClock clock)
{
    private readonly ConcurrentDictionary<Exchange, byte> _open = new();

    public Exchange Open(string label)
    {
        var exchange = new Exchange(clock, label);
        _open[exchange] = 0;
        return exchange;
    }

    public void Close(Exchange exchange)
    {
        exchange.Done();
        _open.TryRemove(exchange, out _);
    }

    /// <summary>Fails every exchange the fake holds while its client waits; true when there was one.</summary>
    public bool FailHeld(Func<VirtualTimeStallException> stall)
    {
        // One still on its way (sent by code the clock does not follow, just now) is not stuck.
        var held = _open.Keys.Where(static exchange => exchange.IsHeld).ToList();
        if (held.Count == 0) return false;
        var exception = stall();
        foreach (var exchange in held) exchange.Fail(exception);
        return true;
    }

    public IEnumerable<string> Describe() =>
        _open.Keys
            .OrderBy(static exchange => exchange.SentAt)
            .ThenBy(static exchange => exchange.Label, StringComparer.Ordinal)
            .Select(static exchange => $"request {exchange.Label} sent at {VirtualClock.Format(exchange.SentAt)}: "
                + (exchange.IsWaiting ? "the client waits for the fake's answer" : "the client is not waiting (stream open)"));
}
