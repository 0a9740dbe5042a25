namespace TinyFish.FakeServer.Runs;

/// <summary>The list order: creation instant, then run id (ordinal) to break ties between runs created at the same tick.</summary>
internal readonly record struct RunKey(long CreatedTicks, string RunId) : IComparable<RunKey>
{
    /// <summary>Sorts before every key created at <paramref name="ticks"/>: the empty id is the smallest string.</summary>
    public static RunKey FirstAt(long ticks) => new(ticks, "");

    public int CompareTo(RunKey other)
    {
        var byTime = CreatedTicks.CompareTo(other.CreatedTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(RunId, other.RunId);
    }
}
