using System.Globalization;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>
/// Reads query parameters the spec's rules have already accepted (<see cref="SelfChecking.SpecRequestRules"/>)
/// as the types the fake works with.
/// </summary>
internal sealed class QueryReader(IQueryCollection query)
{
    public string? String(string name) => query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>An integer the schema accepted (it may be written <c>20</c>, <c>20.0</c> or <c>2e1</c>).</summary>
    public int Integer(string name, int fallback) =>
        String(name) is { } text && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= int.MinValue && value <= int.MaxValue
            ? (int)value
            : fallback;

    /// <summary>
    /// A date-time the schema accepted, as an instant; a problem is recorded when it is none
    /// (past year 9999 or before year 1 once its offset is applied), which a schema cannot say.
    /// </summary>
    public DateTimeOffset? Instant(string name, ValidationErrors errors)
    {
        if (String(name) is not { } text) return null;
        // RFC 3339 allows a lower-case 't' and 'z' and a space between date and time.
        if (DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant)) return instant;
        errors.Add(name, "must be an instant between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        return null;
    }

    /// <summary>Records each parameter not in <paramref name="known"/>, or given twice (for the fake's own routes, which are not in the spec).</summary>
    public static void Check(IQueryCollection query, ValidationErrors errors, params string[] known)
    {
        foreach (var (name, values) in query)
        {
            if (Array.IndexOf(known, name) < 0) errors.Add(name, "is not a known query parameter");
            else if (values.Count > 1) errors.Add(name, "must be given at most once");
        }
    }
}
