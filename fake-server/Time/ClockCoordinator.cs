using Microsoft.AspNetCore.Http;

namespace TinyFish.FakeServer.Time;

/// <summary>
/// The fake's side of its clock: the time, a unit of work per request being answered, and waits on
/// the clock that give that unit back while they wait. In process the clock is a
/// <see cref="VirtualClock"/> that counts the units; standalone it is a real (scaled) clock and the
/// units are nothing.
/// </summary>
/// <remarks>
/// A request holds one unit from the moment the fake's pipeline has it (<see cref="Work"/>) to its
/// last byte. <see cref="WaitAsync"/> gives that unit back while the request waits on the clock, and
/// whoever wakes it (its timer, a run change, a cancellation) takes the unit again before the
/// request's code continues, so a move never sees the fake idle between a wake-up and the work it
/// causes. <see cref="Idle"/> does the same for a write the transport holds back. Every unit is taken
/// and given back inside one method here, so the counts cannot drift.
/// </remarks>
internal sealed class ClockCoordinator(TimeProvider time)
{
    private static readonly object LabelKey = new();
    private readonly VirtualClock? _virtual = time as VirtualClock;

    /// <summary>The clock's current instant (without following the caller's flow: this is the fake reading its clock).</summary>
    public DateTimeOffset Now => _virtual?.Now ?? time.GetUtcNow();

    /// <summary>The unit of work of the request in <paramref name="context"/>, held until the scope is disposed.</summary>
    public VirtualClock.WorkScope Work(HttpContext context)
    {
        if (_virtual is null) return default;
        var label = $"the fake is answering {context.Request.Method} {context.Request.Path}";
        context.Items[LabelKey] = label;
        return _virtual.Work(label);
    }

    /// <summary>Gives the request's unit back until the scope is disposed (a write the transport holds back).</summary>
    public IdleScope Idle(HttpContext context)
    {
        var label = LabelOf(context);
        if (label is not null) _virtual!.Release(label);
        return new IdleScope(_virtual, label);
    }

    /// <summary>
    /// Waits until the clock reaches <paramref name="due"/> (null: no deadline), <paramref name="wake"/>
    /// is signalled, or <paramref name="cancellationToken"/> is cancelled, giving the request's unit
    /// back meanwhile.
    /// </summary>
    public async Task WaitAsync(HttpContext context, DateTimeOffset? due, CancellationToken wake, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (due is { } at && at <= Now) return;
        if (wake.IsCancellationRequested) return;

        var label = LabelOf(context);
        var waiter = new Waiter(_virtual, label);
        using (wake.Register(static w => ((Waiter)w!).Fire(), waiter))
        using (cancellationToken.Register(static w => ((Waiter)w!).Fire(), waiter))
        using (CreateTimer(waiter, due, label))
        {
            // The timer exists before the unit is given back, so a move that sees the fake idle also sees its due time.
            if (label is not null) _virtual!.Release(label);
            await waiter.Task.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private ITimer? CreateTimer(Waiter waiter, DateTimeOffset? due, string? label)
    {
        if (due is not { } when) return null;
        var dueIn = when - Now;
        if (dueIn < TimeSpan.Zero) dueIn = TimeSpan.Zero;
        return _virtual is null
            ? time.CreateTimer(static w => ((Waiter)w!).Fire(), waiter, dueIn, Timeout.InfiniteTimeSpan)
            : _virtual.CreateTimer(static w => ((Waiter)w!).Fire(), waiter, dueIn, Timeout.InfiniteTimeSpan, $"the fake: {label ?? "a wait"}");
    }

    private string? LabelOf(HttpContext context) => _virtual is null ? null : context.Items[LabelKey] as string;

    /// <summary>Gives a request's unit back; takes it again when disposed.</summary>
    internal readonly struct IdleScope(VirtualClock? clock, string? label) : IDisposable
    {
        public void Dispose()
        {
            if (label is not null) clock!.Take(label);
        }
    }

    private sealed class Waiter(VirtualClock? clock, string? label)
    {
        private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public Task Task => _fired.Task;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _state, 1) != 0) return;
            // The unit is taken before the continuation is released, so a move that waits for quiet
            // cannot slip between the wake-up and the work it causes.
            if (label is not null) clock!.Take(label);
            _fired.TrySetResult();
        }
    }
}
