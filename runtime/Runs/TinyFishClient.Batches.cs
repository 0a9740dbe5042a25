namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>The most runs or ids one batch call accepts.</summary>
    public const int MaxBatchSize = 100;

    /// <summary>
    /// Waits until every run in <paramref name="runIds"/> is finished, reading them with
    /// <c>POST /v1/runs/batch</c> (100 ids a call) on the same schedule as <see cref="WaitForCompletionAsync"/>.
    /// </summary>
    /// <returns>The runs in their terminal status, in the order of <paramref name="runIds"/> (duplicates once).</returns>
    /// <exception cref="KeyNotFoundException">The API does not know some of the ids; the message lists them.</exception>
    /// <exception cref="RunWaitTimeoutException">Some run was not finished within the timeout (the first such run is named).</exception>
    public Task<IReadOnlyList<Run>> WaitForAllAsync(IEnumerable<string> runIds, RunWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var order = runIds.Distinct(StringComparer.Ordinal).ToList();
        var finished = new Dictionary<string, Run>(StringComparer.Ordinal);
        Run? stillRunning = null;
        return PollAsync<IReadOnlyList<Run>>(
            async token =>
            {
                stillRunning = null;
                foreach (var chunk in order.Where(id => !finished.ContainsKey(id)).Chunk(MaxBatchSize))
                {
                    var page = await Runs.GetRunsBatchAsync(new RunIdsRequest { RunIds = chunk }, token).ConfigureAwait(false);
                    if (page.NotFound is { Count: > 0 } missing)
                    {
                        throw new KeyNotFoundException($"Unknown run ids: {string.Join(", ", missing)}.");
                    }
                    foreach (var run in page.Data)
                    {
                        if (IsTerminal(run.Status)) finished[run.RunId] = run;
                        else stillRunning ??= run;
                    }
                }
                return stillRunning is null ? order.Select(id => finished[id]).ToList() : null;
            },
            waited => new RunWaitTimeoutException(stillRunning!.RunId, stillRunning.Status, waited),
            options,
            cancellationToken);
    }

    /// <summary>
    /// Queues any number of runs with <c>POST /v1/automation/run-batch</c>, 100 per call. Each call
    /// is all or nothing; if one is refused, the runs queued by earlier calls stay queued and their
    /// ids are in the exception.
    /// </summary>
    /// <returns>The new runs' ids, in the order of <paramref name="requests"/>.</returns>
    /// <exception cref="RunBatchRejectedException">The API refused a batch.</exception>
    public async Task<IReadOnlyList<string>> QueueRunsAsync(IEnumerable<RunRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var ids = new List<string>();
        foreach (var chunk in requests.Chunk(MaxBatchSize))
        {
            var response = await Automation.QueueRunBatchAsync(new BatchRunRequest { Runs = chunk }, cancellationToken).ConfigureAwait(false);
            if (response.RunIds is not { } created)
            {
                throw new RunBatchRejectedException(ids, response.Error?.ToString());
            }
            ids.AddRange(created);
        }
        return ids;
    }
}

/// <summary>The API refused a batch of runs (all or nothing); runs queued by earlier batches are listed.</summary>
public sealed class RunBatchRejectedException(IReadOnlyList<string> queuedBefore, string? error)
    : Exception($"The API refused a batch of runs after {queuedBefore.Count} were queued: {error ?? "no error given"}.")
{
    /// <summary>Ids of the runs queued by earlier batches of the same call; they are running.</summary>
    public IReadOnlyList<string> QueuedBefore { get; } = queuedBefore;
}
