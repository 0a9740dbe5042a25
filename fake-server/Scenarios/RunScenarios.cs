using System.Collections.Immutable;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Scenarios;

/// <summary>
/// The rules that decide what new runs do (<c>fake.Runs</c>). Rules are tried in the order they
/// were added; the first that matches a new run decides its plan, and a run no rule matches
/// follows the defaults: <see cref="FakeTinyFishOptions.DefaultQueuedFor"/> queued,
/// <see cref="FakeTinyFishOptions.DefaultRunningFor"/> running, then COMPLETED with a Bogus-made result.
/// </summary>
public sealed class RunScenarios
{
    private readonly Lock _gate = new();
    private readonly List<RunScenario> _rules = [];
    private readonly FakeTinyFishOptions _options;

    internal RunScenarios(FakeTinyFishOptions options)
    {
        _options = options;
        FakeData.Warm();
    }

    /// <summary>Runs whose goal contains <paramref name="text"/> (case-insensitive).</summary>
    public RunScenario WhenGoalContains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Add($"goal contains \"{text}\"", (request, _) => request.Goal.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Runs whose URL contains <paramref name="text"/> (case-insensitive).</summary>
    public RunScenario WhenUrlContains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Add($"url contains \"{text}\"", (request, _) => request.Url.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The <paramref name="n"/>-th run created through the API (1-based, counting every endpoint and batch item; history does not count).</summary>
    public RunScenario WhenNth(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return Add($"run number {n}", (_, ordinal) => ordinal == n);
    }

    /// <summary>Every run (a catch-all: add it last, since the first matching rule wins).</summary>
    public RunScenario WhenAny() => Add("any run", static (_, _) => true);

    /// <summary>Removes every rule: new runs follow the defaults again.</summary>
    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    private RunScenario Add(string description, Func<RunRequestData, long, bool> matches)
    {
        var rule = new RunScenario(_gate, description, matches);
        lock (_gate) _rules.Add(rule);
        return rule;
    }

    /// <summary>Decides a new run's plan: its content is seeded by the fake's seed and the run's creation order.</summary>
    internal RunPlan Plan(RunRequestData request, long ordinal)
    {
        var random = new FakeRandom(FakeData.Mix(_options.Seed, ordinal));
        var defaults = new RunPlan(
            _options.DefaultQueuedFor,
            _options.DefaultRunningFor,
            FakeData.LaterResult(ref random, request.Url),
            FakeData.Purposes(ref random, request.Url, _options.DefaultProgressEvents),
            _options.ProgressIntervalWhenEndless);
        var more = random;
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.TryTake(request, ordinal)) return rule.Apply(defaults, count => FakeData.Purposes(ref more, request.Url, count));
            }
        }
        return defaults;
    }
}
