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
        // The spec's 500 is anyOf [SyncRunResponse, ErrorEnvelope]; the generated client reads the run-shaped
        // variant (told apart by its required keys, `status` among them) into the exception's Body.
        catch (ApiServerException e) when (e.TryGetBody<SyncRunResponse>(out var failed))
        {
            return RunOutcome.From(failed);
        }
    }
}
