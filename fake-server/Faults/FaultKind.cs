namespace TinyFish.FakeServer.Faults;

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>429 <c>RATE_LIMIT_EXCEEDED</c> with a <c>Retry-After</c> header.</summary>
    RateLimited,

    /// <summary>500 <c>INTERNAL_ERROR</c>.</summary>
    InternalError,

    /// <summary>The connection is dropped without an answer: the client sees an <see cref="HttpRequestException"/>.</summary>
    DroppedConnection,

    /// <summary>The request waits on the fake's clock before it is served normally.</summary>
    Latency,

    /// <summary>
    /// A canned answer — this status and this body as <c>application/json</c> — instead of the real one,
    /// to see how a client takes an answer the API should not give. The self-check, when on, still
    /// checks it against the spec.
    /// </summary>
    Answer,
}
