namespace TinyFish.FakeServer.Journal;

/// <summary>One request the fake received, as it arrived (the API key's value redacted).</summary>
public sealed class JournalEntry
{
    /// <summary>The value that stands in for the <c>X-API-Key</c> header's value.</summary>
    public const string Redacted = "***";

    internal JournalEntry(long sequence, DateTimeOffset receivedAt, string method, string path, string queryString,
        IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers, string body)
    {
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

    /// <summary>The body as UTF-8 text (empty when there was none; cut at the fake's body-size limit).</summary>
    public string Body { get; }

    /// <summary>The status code the fake answered with; null while the request is in progress or when the connection was dropped.</summary>
    public int? StatusCode { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Method} {Path}{QueryString} → {StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "…"}";
}
