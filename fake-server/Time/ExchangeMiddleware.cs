using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Hosting;

namespace TinyFish.FakeServer.Time;

/// <summary>
/// The outermost middleware: the request's unit of work (see <see cref="ClockCoordinator"/>), and,
/// for a request from an in-process client, the fake's half of its <see cref="Exchange"/> — every
/// delivery to the client (response start, body bytes, the end) recorded before it becomes visible.
/// </summary>
internal static class ExchangeMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next, ClockCoordinator clock)
    {
        using var work = clock.Work(context);
        var exchange = Exchange.Current;
        if (exchange is not null)
        {
            await exchange.SenderLeftAsync().ConfigureAwait(false);
            exchange.Arrived();
            context.Response.OnStarting(static e =>
            {
                ((Exchange)e).Starting();
                return Task.CompletedTask;
            }, exchange);
            context.Response.Body = new DeliveringStream(context.Response.Body, exchange);
        }
        try
        {
            await next().ConfigureAwait(false);
            // Completing here, inside the unit of work, means a move that waits for quiet also waits
            // for this answer to be in the client's hands.
            if (!context.RequestAborted.IsCancellationRequested)
            {
                exchange?.Ending();
                await context.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Also after an abort (a dropped connection): the client learns of it through its pending wait.
            exchange?.Ending();
        }
    }

    /// <summary>Records each write as a delivery before passing it on (a synchronous write stays synchronous).</summary>
    private sealed class DeliveringStream(Stream inner, Exchange exchange) : WriteOnlyStream
    {
        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count > 0) exchange.Delivering(count);
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Length > 0) exchange.Delivering(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
