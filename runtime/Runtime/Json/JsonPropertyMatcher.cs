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
    private readonly byte[][] _exact;
    private readonly Dictionary<string, int> _loose = new(StringComparer.Ordinal);

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
    }

    /// <summary>The index of the property the reader's current property name is, or -1.</summary>
    public int Match(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _exact.Length; i++)
        {
            if (reader.ValueTextEquals(_exact[i])) return i;
        }
        return _loose.TryGetValue(Normalize(reader.GetString() ?? ""), out var index) ? index : -1;
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
