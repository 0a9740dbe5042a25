using System.Collections.Concurrent;

namespace TinyFish.FakeServer.Time;

/// <summary>
/// Covers the gap between a test sending a request and the fake's pipeline starting on it: the
/// in-process handler takes a busy unit when the request leaves the client and tags the request
/// with a ticket; the server claims the ticket (keeping the unit) when the request arrives. Whoever
/// removes the ticket first owns the unit, so it is given back exactly once.
/// </summary>
internal sealed class RequestTickets(ClockCoordinator clock)
{
    public const string HeaderName = "X-TinyFish-Fake-Ticket";

    private readonly ConcurrentDictionary<long, byte> _open = new();
    private long _next;

    public long Issue()
    {
        var ticket = Interlocked.Increment(ref _next);
        clock.Enter();
        _open[ticket] = 0;
        return ticket;
    }

    /// <summary>Server side: true when the ticket was open, and the caller now owns its busy unit.</summary>
    public bool TryClaim(string? headerValue) =>
        long.TryParse(headerValue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticket)
        && _open.TryRemove(ticket, out _);

    /// <summary>Client side, when the exchange ended: gives the unit back if the server never claimed it.</summary>
    public void Close(long ticket)
    {
        if (_open.TryRemove(ticket, out _)) clock.Exit();
    }
}
