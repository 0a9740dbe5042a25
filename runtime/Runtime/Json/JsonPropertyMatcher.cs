using System.ComponentModel;
using System.Text;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// Finds which of a type's properties a JSON property name is: an exact match first, else one that
/// differs only in case, underscores or dashes (so <c>runId</c> reads <c>run_id</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonPropertyMatcher
{
    /// <summary>Longest name (in UTF-8 bytes) normalized on the stack; a longer one costs a string or two.</summary>
    private const int StackNameLength = 256;

    private readonly byte[][] _exact;
    private readonly Dictionary<string, int> _loose = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _looseBySpan;

    /// <summary>Creates the matcher for the JSON names of a type's properties, in index order.</summary>
    public JsonPropertyMatcher(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _exact = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            _exact[i] = Encoding.UTF8.GetBytes(names[i]);
            _loose.TryAdd(Normalize(names[i]), i);
        }
        _looseBySpan = _loose.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The index of the property the reader's current property name is, or -1.</summary>
    public int Match(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _exact.Length; i++)
        {
            if (reader.ValueTextEquals(_exact[i])) return i;
        }
        // Not an exact name: compare it ignoring case, underscores and dashes, normalized on the stack
        // (a property the type does not know comes here on every read).
        var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (bytes > StackNameLength) return _loose.TryGetValue(Normalize(reader.GetString() ?? ""), out var slow) ? slow : -1;
        Span<char> name = stackalloc char[StackNameLength];
        var length = Normalize(name[..reader.CopyString(name)]);
        return _looseBySpan.TryGetValue(name[..length], out var index) ? index : -1;
    }

    /// <summary>Normalizes <paramref name="name"/> in place, as <see cref="Normalize(string)"/> does; returns the new length.</summary>
    private static int Normalize(Span<char> name)
    {
        var length = 0;
        foreach (var c in name)
        {
            if (c is not ('_' or '-')) name[length++] = char.ToLowerInvariant(c);
        }
        return length;
    }

    internal static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is not ('_' or '-')) builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
