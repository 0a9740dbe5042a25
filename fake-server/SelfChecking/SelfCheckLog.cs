namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// What the self-check found (<c>fake.SelfCheck</c>): every response and stream event the fake sent
/// that breaks the spec. Empty in a healthy fake; see <see cref="FakeTinyFishOptions.SelfCheck"/>.
/// </summary>
public sealed class SelfCheckLog
{
    private readonly Lock _gate = new();
    private readonly List<SelfCheckViolation> _violations = [];
    private int _reported;

    internal SelfCheckLog(bool enabled) => Enabled = enabled;

    /// <summary>Whether this fake checks what it sends (<see cref="FakeTinyFishOptions.SelfCheck"/>).</summary>
    public bool Enabled { get; }

    /// <summary>Every violation so far, oldest first.</summary>
    public IReadOnlyList<SelfCheckViolation> Violations
    {
        get
        {
            lock (_gate) return [.. _violations];
        }
    }

    /// <summary>Forgets every violation (a test that provoked one on purpose accepts it this way).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _violations.Clear();
            _reported = 0;
        }
    }

    /// <summary>Called with each new violation (the standalone server prints them).</summary>
    internal event Action<SelfCheckViolation>? Recorded;

    internal void Record(SelfCheckViolation violation)
    {
        lock (_gate) _violations.Add(violation);
        Recorded?.Invoke(violation);
    }

    /// <summary>Throws for the violations not thrown for yet, so each fails a test once.</summary>
    internal void ThrowIfAnyUnreported()
    {
        List<SelfCheckViolation> fresh;
        lock (_gate)
        {
            if (_reported == _violations.Count) return;
            fresh = _violations[_reported..];
            _reported = _violations.Count;
        }
        throw new SelfCheckFailedException(fresh);
    }
}
