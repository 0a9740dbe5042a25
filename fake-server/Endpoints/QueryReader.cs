using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>Reads query parameters strictly: each at most once, known names only (when strict), typed values.</summary>
internal sealed partial class QueryReader
{
    private readonly IQueryCollection _query;
    private readonly ValidationErrors _errors;

    public QueryReader(HttpContext context, ValidationErrors errors, bool rejectUnknown, params string[] known)
    {
        _query = context.Request.Query;
        _errors = errors;
        foreach (var (name, values) in _query)
        {
            if (rejectUnknown && Array.IndexOf(known, name) < 0) errors.Add(name, "is not a known query parameter");
            else if (values.Count > 1) errors.Add(name, "must be given at most once");
        }
    }

    public string? String(string name) => _query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    public int Integer(string name, int minimum, int maximum, int fallback)
    {
        if (String(name) is not { } text) return fallback;
        if (text.Length is > 0 and <= 9 && text.All(char.IsAsciiDigit))
        {
            var value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            if (value >= minimum && value <= maximum) return value;
        }
        _errors.Add(name, $"must be an integer between {minimum} and {maximum}");
        return fallback;
    }

    public string? Enum(string name, params string[] allowed)
    {
        var text = String(name);
        if (text is null || Array.IndexOf(allowed, text) >= 0) return text;
        _errors.Add(name, $"must be one of {string.Join(", ", allowed)}");
        return null;
    }

    /// <summary>An ISO 8601 instant with an offset (<c>2025-01-01T00:00:00Z</c>), or a date (midnight UTC).</summary>
    public DateTimeOffset? Instant(string name)
    {
        if (String(name) is not { } text) return null;
        if (Iso8601().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }
        var hint = text.Contains(' ', StringComparison.Ordinal) ? " (a '+' in a query string must be sent as %2B)" : "";
        _errors.Add(name, $"must be an ISO 8601 date-time with an offset, e.g. 2025-01-01T00:00:00Z{hint}");
        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
