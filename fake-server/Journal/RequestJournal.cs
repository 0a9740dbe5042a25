namespace TinyFish.FakeServer.Journal;

/// <summary>
/// The requests the fake received, in arrival order (<c>fake.Journal</c>): the most recent
/// <see cref="FakeTinyFishOptions.MaxJournalEntries"/> of them, so a long-lived fake does not grow without bound.
/// </summary>
public sealed class RequestJournal
{
    private readonly Lock _gate = new();
    private readonly Queue<JournalEntry> _entries = new();
    private readonly int _capacity;
    private long _sequence;

    internal RequestJournal(int capacity) => _capacity = capacity;

    /// <summary>A snapshot of every entry so far.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_gate) return [.. _entries];
        }
    }

    /// <summary>How many entries the journal holds (at most <see cref="FakeTinyFishOptions.MaxJournalEntries"/>).</summary>
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
        lock (_gate)
        {
            if (_entries.Count == _capacity) _entries.Dequeue();
            _entries.Enqueue(entry);
        }
    }
}
