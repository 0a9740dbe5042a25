using System;
using System.Collections.Generic;
using System.Linq;

namespace TinyFish.Toolkit.Generator.Helpers;

/// <summary>
/// Which operations a client is generated for: the <c>Operations</c> metadata of an OpenApiClient item, entries
/// separated by commas, semicolons or new lines (the package's targets turn an item's <c>;</c> into <c>,</c>: the compiler
/// reads metadata from an editorconfig file, where <c>;</c> starts a comment). An entry is an operationId (<c>listRuns</c>, any case), a path (<c>/v1/runs/{id}</c>:
/// every method of it) or a method and a path (<c>GET /v1/runs</c>); <c>*</c> matches any run of characters
/// (<c>/v1/charges*</c>, <c>list*</c>). Without entries, every operation is selected.
/// </summary>
/// <remarks>
/// A large spec compiles in time proportional to what it generates: a client of the few operations a program calls,
/// and of the types they reach, builds in a fraction of the whole spec's time. The selection remembers which entries
/// matched, so an entry that matches nothing (a typo) can be reported.
/// </remarks>
internal sealed class OperationSelection
{
    private readonly Entry[] _entries;
    private readonly bool[] _matched;

    private OperationSelection(Entry[] entries)
    {
        _entries = entries;
        _matched = new bool[entries.Length];
    }

    /// <summary>Reads the metadata's text; null or blank selects every operation.</summary>
    public static OperationSelection Parse(string? text) => new(
        (text ?? "")
            .Split(new[] { ',', ';', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Trim())
            .Where(part => part.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(Entry.Parse)
            .ToArray());

    /// <summary>True when no entry was given: every operation is generated, and every component schema.</summary>
    public bool IsEverything => _entries.Length == 0;

    /// <summary>Whether an operation is selected; every entry that matches it is marked as used.</summary>
    public bool Includes(string httpMethod, string path, string? operationId)
    {
        if (IsEverything) return true;
        var included = false;
        for (var i = 0; i < _entries.Length; i++)
        {
            if (!_entries[i].Matches(httpMethod, path, operationId)) continue;
            _matched[i] = true;
            included = true;
        }
        return included;
    }

    /// <summary>The entries, as written, that matched no operation so far.</summary>
    public IEnumerable<string> Unmatched => _entries.Where((_, i) => !_matched[i]).Select(e => e.Text);

    private sealed record Entry(string Text, string? Method, string? PathPattern, string? OperationIdPattern)
    {
        public static Entry Parse(string text)
        {
            if (text.StartsWith("/", StringComparison.Ordinal)) return new Entry(text, null, text, null);
            var space = text.IndexOfAny(new[] { ' ', '\t' });
            if (space > 0 && text.Substring(space).Trim() is var path && path.StartsWith("/", StringComparison.Ordinal))
            {
                return new Entry(text, text.Substring(0, space), path, null);
            }
            return new Entry(text, null, null, text);
        }

        public bool Matches(string httpMethod, string path, string? operationId)
        {
            if (OperationIdPattern is not null)
            {
                return operationId is not null && IsMatch(OperationIdPattern, operationId, StringComparison.OrdinalIgnoreCase);
            }
            return (Method is null || string.Equals(Method, httpMethod, StringComparison.OrdinalIgnoreCase))
                && IsMatch(PathPattern!, path, StringComparison.Ordinal);
        }
    }

    /// <summary>Matching with <c>*</c> as any run of characters (none included), and nothing else special.</summary>
    private static bool IsMatch(string pattern, string text, StringComparison comparison)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1) return string.Equals(pattern, text, comparison);
        // The first part is a prefix, the last a suffix, and the ones between occur in order, as early as they can.
        if (!text.StartsWith(parts[0], comparison) || !text.EndsWith(parts[parts.Length - 1], comparison)) return false;
        var at = parts[0].Length;
        var end = text.Length - parts[parts.Length - 1].Length;
        if (end < at) return false;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            if (parts[i].Length == 0) continue;
            var found = text.IndexOf(parts[i], at, end - at, comparison);
            if (found < 0) return false;
            at = found + parts[i].Length;
        }
        return true;
    }
}
