using System.Collections.Immutable;

namespace TinyFish.FakeServer.Runs;

/// <summary>
/// Every run the fake knows, behind one lock. Runs sit in a rank-aware index by (created_at, run_id)
/// and in one such index per status, so a list page costs O(log n + page) with or without a status
/// filter. Status is a function of the clock (<see cref="RunSchedule"/>); the per-status indices are
/// brought up to the clock before every read, from a queue of the instants at which runs change
/// status — so they always agree with <see cref="RunSchedule.At"/>, with no background loop. A
/// <c>goal</c> filter reads a <see cref="GoalIndex"/> of its text, kept like the others once built.
/// </summary>
internal sealed class RunStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<RunRequestData, long, RunPlan> _plan;
    private readonly RunIdGenerator _ids;
    private readonly Dictionary<string, RunRecord> _byId = new(StringComparer.Ordinal);
    private readonly OrderedRunIndex _all = new();
    private readonly OrderedRunIndex[] _byStatus = [.. Enumerable.Range(0, RunStatusNames.Count).Select(_ => new OrderedRunIndex())];
    private readonly PriorityQueue<RunRecord, DateTimeOffset> _transitions = new();
    // The goal texts asked for most recently; the same text in another case matches the same runs.
    private readonly Dictionary<string, GoalIndex> _goals = new(StringComparer.OrdinalIgnoreCase);
    private long _created;
    private long _goalReads;

    /// <summary>How many goal texts keep an index at once; the least recently read one makes room.</summary>
    internal const int MaxGoalIndexes = 32;

    /// <param name="time">The clock that decides every run's status.</param>
    /// <param name="plan">Decides a new run's future from its request and its 1-based creation order.</param>
    /// <param name="seed">Seed for run ids.</param>
    public RunStore(TimeProvider time, Func<RunRequestData, long, RunPlan> plan, int seed)
    {
        _time = time;
        _plan = plan;
        _ids = new RunIdGenerator(seed);
    }

    public int Count
    {
        get
        {
            lock (_gate) return _byId.Count;
        }
    }

    /// <summary>Index nodes looked at so far, across all indices (see <see cref="OrderedRunIndex.NodesVisited"/>).</summary>
    public long NodesVisited
    {
        get
        {
            lock (_gate) return _all.NodesVisited + _byStatus.Sum(static index => index.NodesVisited) + _goals.Values.Sum(static index => index.NodesVisited);
        }
    }

    /// <summary>
    /// Creates runs at the current instant, in order, all or nothing: when a scenario refuses one of
    /// them, none is stored and the refusal is returned instead (each still counts as an attempt
    /// for <c>WhenNth</c>). A refused event-stream run is stored already FAILED, since its stream
    /// has begun and can only end with a COMPLETE event.
    /// </summary>
    public (ImmutableArray<RunView> Created, RunFailure? Refusal) Create(IReadOnlyList<RunRequestData> requests, RunOrigin origin)
    {
        var created = ImmutableArray.CreateBuilder<RunView>(requests.Count);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            CatchUp(now);
            var plans = requests.Select(request => _plan(request, ++_created)).ToList();
            if (origin != RunOrigin.Sse && plans.FirstOrDefault(static plan => plan.Refusal is not null)?.Refusal is { } refusal)
            {
                return ([], refusal);
            }
            for (var i = 0; i < requests.Count; i++)
            {
                var plan = plans[i].Refusal is { } failure
                    ? plans[i] with { QueuedFor = TimeSpan.Zero, RunningFor = TimeSpan.Zero, Ending = RunEnding.Failed(failure), ProgressPurposes = [] }
                    : plans[i];
                var run = new RunRecord(NewId(), now, origin, requests[i], plan);
                Insert(run, now);
                created.Add(new RunView(run, RunSchedule.At(run, now)));
            }
        }
        return (created.MoveToImmutable(), null);
    }

    /// <summary>Adds finished runs made up by a history seeder (their ids are theirs; duplicates are skipped).</summary>
    public int AddHistory(IEnumerable<RunRecord> runs)
    {
        var added = 0;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            CatchUp(now);
            foreach (var run in runs)
            {
                if (_byId.ContainsKey(run.Id)) continue;
                Insert(run, now);
                added++;
            }
        }
        return added;
    }

    public RunView? Find(string id)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            return _byId.TryGetValue(id, out var run) ? new RunView(run, RunSchedule.At(run, now)) : null;
        }
    }

    /// <summary>A token cancelled when the run is cancelled (so a stream waiting on the clock wakes at once).</summary>
    public CancellationToken ChangedToken(string id)
    {
        lock (_gate) return _byId.TryGetValue(id, out var run) ? run.ChangedToken : CancellationToken.None;
    }

    /// <summary>Looks several runs up at one instant; unknown ids are returned apart, in request order, once each.</summary>
    public (IReadOnlyList<RunView> Found, IReadOnlyList<string> NotFound) FindMany(IReadOnlyList<string> ids)
    {
        var found = new List<RunView>();
        var notFound = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var id in ids)
            {
                if (!seen.Add(id)) continue;
                if (_byId.TryGetValue(id, out var run)) found.Add(new RunView(run, RunSchedule.At(run, now)));
                else notFound.Add(id);
            }
        }
        return (found, notFound);
    }

    /// <summary>The cancel table of the API, for one run.</summary>
    public CancelResult Cancel(string id)
    {
        CancellationTokenSource? signal;
        CancelResult result;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            CatchUp(now);
            result = CancelLocked(id, now, out signal);
        }
        signal?.Cancel();
        return result;
    }

    /// <summary>
    /// Cancels several runs at one instant. All or nothing: when one of them is a blocking <c>/run</c>
    /// run, nothing is cancelled and the offending ids are returned.
    /// </summary>
    public (IReadOnlyList<CancelResult> Results, IReadOnlyList<string> NotFound, IReadOnlyList<string> NotCancellable) CancelMany(IReadOnlyList<string> ids)
    {
        var results = new List<CancelResult>();
        var notFound = new List<string>();
        var notCancellable = new List<string>();
        var signals = new List<CancellationTokenSource>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            CatchUp(now);
            var unique = ids.Distinct(StringComparer.Ordinal).ToList();
            foreach (var id in unique)
            {
                if (!_byId.TryGetValue(id, out var run)) notFound.Add(id);
                else if (run.Origin == RunOrigin.Sync) notCancellable.Add(id);
            }
            if (notCancellable.Count > 0) return ([], notFound, notCancellable);
            foreach (var id in unique)
            {
                if (!_byId.ContainsKey(id)) continue;
                results.Add(CancelLocked(id, now, out var signal));
                if (signal is not null) signals.Add(signal);
            }
        }
        foreach (var signal in signals) signal.Cancel();
        return (results, notFound, notCancellable);
    }

    /// <summary>One page of runs matching <paramref name="query"/>, as they are now.</summary>
    public RunPage List(RunQuery query)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            CatchUp(now);
            var index = query.GoalContains is { Length: > 0 } goal
                ? GoalIndexOf(goal).For(query.Status)
                : query.Status is { } status ? _byStatus[(int)status] : _all;
            // Both bounds are exclusive (the spec's choice): after → skip every key at or before that tick.
            var from = query.CreatedAfter is { } after ? index.CountBelow(RunKey.FirstAt(after.UtcTicks + 1), inclusive: false) : 0;
            var to = query.CreatedBefore is { } before ? index.CountBelow(RunKey.FirstAt(before.UtcTicks), inclusive: false) : index.Count;
            var pageFrom = from;
            var pageTo = to;
            if (query.After is { } cursor)
            {
                if (query.Descending) pageTo = Math.Min(to, index.CountBelow(cursor, inclusive: false));
                else pageFrom = Math.Max(from, index.CountBelow(cursor, inclusive: true));
            }
            return ListByRank(index, query, from, to, pageFrom, pageTo, now);
        }
    }

    private RunPage ListByRank(OrderedRunIndex index, RunQuery query, int from, int to, int pageFrom, int pageTo, DateTimeOffset now)
    {
        var available = Math.Max(0, pageTo - pageFrom);
        var take = Math.Min(query.Limit, available);
        var keys = query.Descending ? index.Range(pageTo - take, pageTo, descending: true) : index.Range(pageFrom, pageFrom + take, descending: false);
        var items = keys.Select(key => View(key, now)).ToList();
        return new RunPage(items, Math.Max(0, to - from), available > take);
    }

    private GoalIndex GoalIndexOf(string text)
    {
        if (!_goals.TryGetValue(text, out var index))
        {
            if (_goals.Count == MaxGoalIndexes) _goals.Remove(_goals.MinBy(static pair => pair.Value.LastRead).Key);
            index = new GoalIndex(text, _byId.Values);
            _goals.Add(text, index);
        }
        index.LastRead = ++_goalReads;
        return index;
    }

    private RunView View(RunKey key, DateTimeOffset now)
    {
        var run = _byId[key.RunId];
        return new RunView(run, RunSchedule.At(run, now));
    }

    private CancelResult CancelLocked(string id, DateTimeOffset now, out CancellationTokenSource? signal)
    {
        signal = null;
        if (!_byId.TryGetValue(id, out var run)) return new CancelResult(CancelOutcome.NotFound, null);
        var state = RunSchedule.At(run, now);
        // The spec's choice: a blocking /run run cannot be cancelled, whatever its state.
        if (run.Origin == RunOrigin.Sync) return new CancelResult(CancelOutcome.NotCancellable, new RunView(run, state));
        if (state.Status == RunStatus.Cancelled) return new CancelResult(CancelOutcome.AlreadyCancelled, new RunView(run, state));
        if (state.Status.IsTerminal()) return new CancelResult(CancelOutcome.AlreadyFinished, new RunView(run, state));
        run.CancelledAt = now;
        Reconcile(run, now);
        signal = run.TakeChangeSignal();
        return new CancelResult(CancelOutcome.CancelledNow, new RunView(run, RunSchedule.At(run, now)));
    }

    private string NewId()
    {
        string id;
        do id = _ids.Next();
        while (_byId.ContainsKey(id));
        return id;
    }

    private void Insert(RunRecord run, DateTimeOffset now)
    {
        _byId.Add(run.Id, run);
        _all.Add(run.Key);
        run.IndexedStatus = RunSchedule.At(run, now).Status;
        _byStatus[(int)run.IndexedStatus].Add(run.Key);
        foreach (var goal in _goals.Values)
        {
            if (goal.Matches(run)) goal.Add(run, run.IndexedStatus);
        }
        if (RunSchedule.NextTransitionAfter(run, now) is { } next) _transitions.Enqueue(run, next);
    }

    /// <summary>Moves every run whose status changed by <paramref name="now"/> to its new status index.</summary>
    private void CatchUp(DateTimeOffset now)
    {
        while (_transitions.TryPeek(out var run, out var due) && due <= now)
        {
            _transitions.Dequeue();
            Reconcile(run, now);
            if (RunSchedule.NextTransitionAfter(run, now) is { } next) _transitions.Enqueue(run, next);
        }
    }

    private void Reconcile(RunRecord run, DateTimeOffset now)
    {
        var status = RunSchedule.At(run, now).Status;
        if (status == run.IndexedStatus) return;
        _byStatus[(int)run.IndexedStatus].Remove(run.Key);
        _byStatus[(int)status].Add(run.Key);
        foreach (var goal in _goals.Values)
        {
            if (goal.Matches(run)) goal.Move(run, run.IndexedStatus, status);
        }
        run.IndexedStatus = status;
    }
}
