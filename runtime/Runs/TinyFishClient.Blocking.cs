using System.Text;
using System.Text.Json;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>
    /// Runs <paramref name="request"/> with the blocking <c>/v1/automation/run</c> (meant for tasks
    /// under about 30 s) and says what it amounted to. A failed run that the API answers with
    /// HTTP 500 and a run-shaped body becomes <see cref="RunOutcome.InfrastructureFailed"/> like a
    /// FAILED run answered with 200; a 500 without a run (the error envelope) still throws.
    /// </summary>
    /// <remarks>Not retried after a 5xx: the server may have run it, and a retry would run it twice.</remarks>
    /// <exception cref="ApiException">The API refused the request (bad input, key, rate limit, server error without a run).</exception>
    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return RunOutcome.From(await Automation.RunAutomationAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (ApiServerException e) when (TryReadSyncRun(e.RawBody) is { } failed)
        {
            return RunOutcome.From(failed);
        }
    }

    // The spec allows a failed blocking run as HTTP 500 with the SyncRunResponse body; it is told
    // apart from the error envelope by its top-level "status".
    private static SyncRunResponse? TryReadSyncRun(string body)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            using (var document = JsonDocument.Parse(bytes))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("status", out _)) return null;
            }
            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            return TinyFishClientJson.ReadSyncRunResponse(ref reader);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
