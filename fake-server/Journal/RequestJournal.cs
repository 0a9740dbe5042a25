using System.Runtime;

namespace TinyFish.FakeServer.Journal;

/// <summary>
/// The requests the fake received, in arrival order (<c>fake.Journal</c>): the most recent ones, at
/// most <see cref="FakeTinyFishOptions.MaxJournalEntries"/> of them holding at most
/// <see cref="FakeTinyFishOptions.MaxJournalBytes"/> in all (oldest dropped first), so a long-lived
/// fake does not grow without bound whatever it is sent.
/// </summary>
public sealed class RequestJournal
{
    // Clearing more than this also asks the runtime to give the memory back to the system at once.
    // Low on purpose: the entries' approximate size undercounts what they hold (strings, header
    // collections), and a compacting collection of a small heap costs a few milliseconds.
    private const long ReturnMemoryAbove = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<JournalEntry> _entries = new();
    private readonly int _capacity;
    private readonly long _maxBytes;
    private long _bytes;
    private long _sequence;

    internal RequestJournal(int capacity, long maxBytes)
    {
        _capacity = capacity;
        _maxBytes = maxBytes;
    }

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

    /// <summary>About how many bytes the entries hold (at most <see cref="FakeTinyFishOptions.MaxJournalBytes"/>).</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_gate) return _bytes;
        }
    }

    /// <summary>
    /// Forgets every entry (sequence numbers keep counting). When they held more than 1 MB, the
    /// memory is also handed back to the operating system now (a compacting collection), so a
    /// long-lived standalone fake shrinks again.
    /// </summary>
    public void Clear()
    {
        long freed;
        lock (_gate)
        {
            freed = _bytes;
            _entries.Clear();
            _entries.TrimExcess();
            _bytes = 0;
        }
        if (freed > ReturnMemoryAbove)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(JournalEntry entry)
    {
        var size = entry.ApproximateSize;
        lock (_gate)
        {
            _entries.Enqueue(entry);
            _bytes += size;
            while (_entries.Count > 1 && (_entries.Count > _capacity || _bytes > _maxBytes)) _bytes -= _entries.Dequeue().ApproximateSize;
        }
    }
}
