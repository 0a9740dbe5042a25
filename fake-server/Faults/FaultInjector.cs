namespace TinyFish.FakeServer.Faults;

/// <summary>
/// Faults on demand (<c>fake.Faults</c>): rate limits, server errors, dropped connections and latency
/// for the next requests or, seeded, for a share of them. Faults hit before authentication, as a
/// gateway's would; the first armed fault that takes a request decides what happens to it.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Random _random;

    internal FaultInjector(int seed) => _random = new Random(seed);

    /// <summary>A fault for the next <paramref name="count"/> requests (that match its route, if it gets one).</summary>
    public FaultRule NextRequests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new FaultRule(this, count, 1);
    }

    /// <summary>A fault for the next request (that matches its route, if it gets one).</summary>
    public FaultRule NextRequest() => NextRequests(1);

    /// <summary>
    /// A fault for each request with <paramref name="probability"/>, decided by a generator seeded
    /// with the fake's seed: the same requests in the same order meet the same faults.
    /// </summary>
    public FaultRule Randomly(double probability)
    {
        if (!(probability is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "Must be in (0, 1].");
        return new FaultRule(this, null, probability);
    }

    /// <summary>Disarms every fault.</summary>
    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    internal void Add(FaultRule rule)
    {
        lock (_gate) _rules.Add(rule);
    }

    internal FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.TryTake(method, path, _random)) return rule;
            }
            return null;
        }
    }
}
