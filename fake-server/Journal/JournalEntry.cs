namespace TinyFish.FakeServer.Journal;

/// <summary>One request the fake received, as it arrived (the API key's value redacted).</summary>
public sealed class JournalEntry
{
    /// <summary>The value that stands in for the <c>X-API-Key</c> header's value.</summary>
    public const string Redacted = "***";

    internal JournalEntry(long sequence, DateTimeOffset receivedAt, string method, string path, string queryString,
        IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, string body, long bodyBytes, bool bodyTruncated)
    {
        BodyBytes = bodyBytes;
        BodyTruncated = bodyTruncated;
        Sequence = sequence;
        ReceivedAt = receivedAt;
        Method = method;
        Path = path;
        QueryString = queryString;
        Query = query;
        Headers = headers;
        Body = body;
    }

    /// <summary>1 for the first request the fake received, then 2, 3, ...</summary>
    public long Sequence { get; }

    /// <summary>When the request arrived, on the fake's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>The path, e.g. <c>/v1/runs/run_abc/cancel</c>.</summary>
    public string Path { get; }

    /// <summary>The raw query string including the leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>The query parameters (repeated ones joined with commas).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The request headers, names case-insensitive; <c>X-API-Key</c> is <see cref="Redacted"/> when present.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>
    /// The body as UTF-8 text, empty when there was none. A body longer than
    /// <see cref="FakeTinyFishOptions.MaxJournalBodyBytes"/> is cut there and ends with
    /// <see cref="TruncationMarker"/> (see <see cref="BodyTruncated"/>).
    /// </summary>
    public string Body { get; }

    /// <summary>How many bytes of body arrived (for a body refused unread, what its <c>Content-Length</c> announced).</summary>
    public long BodyBytes { get; }

    /// <summary>Whether <see cref="Body"/> holds only the start of the body.</summary>
    public bool BodyTruncated { get; }

    /// <summary>What a cut <see cref="Body"/> ends with.</summary>
    public const string TruncationMarker = "…[truncated]";

    /// <summary>About how many bytes of memory the entry holds (its strings are UTF-16), for the journal's byte cap.</summary>
    /// <remarks>An estimate: the entry, its two dictionaries and their slots cost on the order of 1 KB besides the text.</remarks>
    internal long ApproximateSize =>
        1024 + 2L * (Body.Length + Path.Length + QueryString.Length
            + Headers.Sum(static pair => pair.Key.Length + pair.Value.Length + 32)
            + Query.Sum(static pair => pair.Key.Length + pair.Value.Length + 32));

    /// <summary>The status code the fake answered with; null while the request is in progress or when the connection was dropped.</summary>
    public int? StatusCode { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Method} {Path}{QueryString} → {StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "…"}";
}
