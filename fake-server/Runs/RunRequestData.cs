using System.Text.Json;

namespace TinyFish.FakeServer.Runs;

/// <summary>Where a run came from; runs from the blocking <c>/run</c> endpoint cannot be cancelled.</summary>
internal enum RunOrigin
{
    Sync,
    Async,
    Sse,
    Batch,
    History,
}

/// <summary>The parts of a validated run request that the fake keeps and shows back.</summary>
internal sealed record RunRequestData(
    string Url,
    string Goal,
    bool ProxyEnabled,
    string? ProxyCountryCode,
    JsonElement? OutputSchema,
    bool ProfileAttached,
    string? ProfileId);
