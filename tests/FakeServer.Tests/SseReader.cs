using System.Text.Json;

namespace FakeServer.Tests;

/// <summary>Reads Server-Sent Events frame by frame, checking the fake's framing: one <c>data:</c> line of JSON, then a blank line.</summary>
internal sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>The next event's JSON, or null at the end of the stream.</summary>
    public async Task<JsonElement?> NextAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken);
        if (line is null) return null;
        Assert.That(line, Does.StartWith("data: "), "every frame is a single data line (no event:, id:, retry:)");
        using var document = JsonDocument.Parse(line["data: ".Length..]);
        var blank = await _reader.ReadLineAsync(cancellationToken);
        Assert.That(blank, Is.Empty, "a frame ends with a blank line");
        return document.RootElement.Clone();
    }

    public async Task<List<JsonElement>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var events = new List<JsonElement>();
        while (await NextAsync(cancellationToken) is { } next) events.Add(next);
        return events;
    }

    public void Dispose() => _reader.Dispose();
}
