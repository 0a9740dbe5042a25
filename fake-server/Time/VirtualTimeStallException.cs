namespace TinyFish.FakeServer;

/// <summary>
/// Virtual time could not go on: nothing was due while something still waited, the self-moving clock
/// reached its limit, or the work caused by a move never finished. The message lists what was pending:
/// the clock, busy work, timers and their due instants, runs not finished, requests the fake held.
/// </summary>
public sealed class VirtualTimeStallException : Exception
{
    /// <summary>Creates the exception from a reason and the lines describing what was pending.</summary>
    public VirtualTimeStallException(string reason, IReadOnlyList<string> pending)
        : base(reason + (pending.Count == 0 ? "" : Environment.NewLine + "Pending:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", pending)))
    {
        Reason = reason;
        Pending = pending;
    }

    /// <summary>Why time could not go on.</summary>
    public string Reason { get; }

    /// <summary>What was pending, one line each.</summary>
    public IReadOnlyList<string> Pending { get; }
}
