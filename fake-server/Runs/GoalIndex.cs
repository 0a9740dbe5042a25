namespace TinyFish.FakeServer.Runs;

/// <summary>
/// The runs whose goal contains one piece of text (the <c>goal</c> filter's rule: a case-insensitive,
/// ordinal substring match), in rank indices like the store's own, overall and per status. A
/// substring has no general-purpose index, so the store builds one of these the first time a text is
/// asked for (one pass over the runs) and keeps it up to date on every insert and status change;
/// every later page and <c>total</c> for that text costs O(log n + page), as without the filter.
/// </summary>
/// <remarks>Not thread-safe: the store's lock guards it.</remarks>
internal sealed class GoalIndex
{
    private readonly OrderedRunIndex[] _byStatus = [.. Enumerable.Range(0, RunStatusNames.Count).Select(_ => new OrderedRunIndex())];

    public GoalIndex(string text, IEnumerable<RunRecord> runs)
    {
        Text = text;
        foreach (var run in runs)
        {
            if (Matches(run)) Add(run, run.IndexedStatus);
        }
    }

    /// <summary>The filter text (compared ignoring case).</summary>
    public string Text { get; }

    public OrderedRunIndex All { get; } = new();

    /// <summary>When the index was last read, in the store's own count of reads (for evicting the least used).</summary>
    public long LastRead { get; set; }

    public long NodesVisited => All.NodesVisited + _byStatus.Sum(static index => index.NodesVisited);

    public OrderedRunIndex For(RunStatus? status) => status is { } s ? _byStatus[(int)s] : All;

    public bool Matches(RunRecord run) => run.Request.Goal.Contains(Text, StringComparison.OrdinalIgnoreCase);

    public void Add(RunRecord run, RunStatus status)
    {
        All.Add(run.Key);
        _byStatus[(int)status].Add(run.Key);
    }

    public void Move(RunRecord run, RunStatus from, RunStatus to)
    {
        _byStatus[(int)from].Remove(run.Key);
        _byStatus[(int)to].Add(run.Key);
    }
}
