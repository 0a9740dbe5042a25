using System.Text.Json;

namespace TinyFish.FakeServer.Json;

// One type per SSE event: each is serialized on its own `data:` line.

internal sealed record StartedEventDto(string Type, string RunId, DateTime Timestamp);

internal sealed record StreamingUrlEventDto(string Type, string RunId, string StreamingUrl, DateTime Timestamp);

internal sealed record ProgressEventDto(string Type, string RunId, string Purpose, DateTime Timestamp);

internal sealed record HeartbeatEventDto(string Type, DateTime Timestamp);

internal sealed record CompleteEventDto(string Type, string RunId, string Status, DateTime Timestamp, JsonElement? Result, RunErrorDto? Error);
