using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyFish.FakeServer.Json;

/// <summary>Source-generated serialization for every shape the fake reads or writes: no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(RunDto))]
[JsonSerializable(typeof(SyncRunResponseDto))]
[JsonSerializable(typeof(QueueRunResponseDto))]
[JsonSerializable(typeof(BatchRunResponseDto))]
[JsonSerializable(typeof(ListRunsResponseDto))]
[JsonSerializable(typeof(CancelRunResponseDto))]
[JsonSerializable(typeof(BatchGetRunsResponseDto))]
[JsonSerializable(typeof(BatchCancelRunsResponseDto))]
[JsonSerializable(typeof(CursorPayload))]
[JsonSerializable(typeof(StartedEventDto))]
[JsonSerializable(typeof(StreamingUrlEventDto))]
[JsonSerializable(typeof(ProgressEventDto))]
[JsonSerializable(typeof(HeartbeatEventDto))]
[JsonSerializable(typeof(CompleteEventDto))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(JournalDto))]
internal sealed partial class FakeJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the fake writes with: as <see cref="Default"/>, but without escaping quotes,
    /// ampersands and non-ASCII letters as \uXXXX, so goals and results read as they were sent.
    /// </summary>
    public static FakeJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
