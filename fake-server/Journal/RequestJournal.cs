namespace TinyFish.FakeServer.Journal;

/// <summary>Every request the fake received, in arrival order (<c>fake.Journal</c>).</summary>
public sealed class RequestJournal
{
    private readonly Lock _gate = new();
    private readonly List<JournalEntry> _entries = [];
    private long _sequence;

    /// <summary>A snapshot of every entry so far.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_gate) return [.. _entries];
        }
    }

    /// <summary>How many requests were received.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    /// <summary>The entries with this method (any when null) whose path starts with <paramref name="pathPrefix"/> (any when null).</summary>
    public IReadOnlyList<JournalEntry> Find(string? method = null, string? pathPrefix = null) =>
        Where(entry => (method is null || string.Equals(entry.Method, method, StringComparison.OrdinalIgnoreCase))
            && (pathPrefix is null || entry.Path.StartsWith(pathPrefix, StringComparison.Ordinal)));

    /// <summary>The entries that satisfy <paramref name="predicate"/>.</summary>
    public IReadOnlyList<JournalEntry> Where(Func<JournalEntry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return [.. Entries.Where(predicate)];
    }

    /// <summary>Forgets every entry (sequence numbers keep counting).</summary>
    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(JournalEntry entry)
    {
        lock (_gate) _entries.Add(entry);
    }
}
