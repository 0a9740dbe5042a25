using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// JSON texts already found valid against one schema, by their exact bytes. The fake answers a run in
/// one state with the same bytes every time, so its answer is evaluated once per state, and every
/// later get, page or batch that holds it is a lookup. Bounded: when full it starts over.
/// </summary>
internal sealed class KnownValidJson
{
    /// <summary>Larger texts (whole pages) are not kept: their runs are, one by one.</summary>
    public const int MaxLength = 64 * 1024;

    private const int Capacity = 20_000;

    private readonly ConcurrentDictionary<byte[], byte> _known = new(Bytes.Comparer);
    private readonly ConcurrentDictionary<byte[], byte>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public KnownValidJson() => _lookup = _known.GetAlternateLookup<ReadOnlySpan<byte>>();

    public bool Contains(ReadOnlySpan<byte> json) => _lookup.ContainsKey(json);

    public void Add(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxLength) return;
        if (_known.Count >= Capacity) _known.Clear();
        _lookup.TryAdd(json, 0);
    }

    private sealed class Bytes : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Bytes Comparer = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode([DisallowNull] byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
