using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs.Specification;

/// <summary>queueRunBatch, getRunsBatch and cancelRunsBatch: order, not_found, all or nothing.</summary>
public abstract partial class RunsApiSpecification
{
    private string UnknownId { get; } = "run_contract_unknown_" + Guid.NewGuid().ToString("N");

    private async Task<IReadOnlyList<string>> QueueBatchAsync(params string[] whats)
    {
        var answer = await Client.Automation.QueueRunBatchAsync(new BatchRunRequest { Runs = [.. whats.Select(w => Request(w))] }, Patience);
        Assert.That(answer.Error, Is.Null, "a queued batch answers error: null");
        Assert.That(answer.RunIds, Is.Not.Null.And.Count.EqualTo(whats.Length), "one run_id per request");
        Started(answer.RunIds!);
        return answer.RunIds!;
    }

    [Test]
    public async Task Run_batch_queues_every_run_in_request_order()
    {
        var ids = await QueueBatchAsync("Read the page title", "Read the first heading");

        var read = await Client.Runs.GetRunsBatchAsync(new RunIdsRequest { RunIds = [.. ids] }, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            Assert.That(read.Data.Select(r => r.RunId), Is.EqualTo(ids), "found in request order");
            Assert.That(read.Data.Select(r => r.Goal), Is.EqualTo(new[] { Request("Read the page title").Goal, Request("Read the first heading").Goal }), "each id is its request's run");
            Assert.That(read.NotFound, Is.Null, "not_found is null when every id was found");
        });
        foreach (var run in read.Data) RunShape.AssertConsistent(run);
    }

    [Test]
    public async Task Batch_get_answers_found_runs_in_request_order_once_and_lists_unknown_ids()
    {
        var ids = await QueueBatchAsync("Read the page title", "Read the first heading");

        var read = await Client.Runs.GetRunsBatchAsync(new RunIdsRequest { RunIds = [ids[1], UnknownId, ids[0], ids[1]] }, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(read.Data.Select(r => r.RunId), Is.EqualTo(new[] { ids[1], ids[0] }), "request order, a repeated id once");
            Assert.That(read.NotFound, Is.EqualTo(new[] { UnknownId }), "unknown ids are listed, never a 404");
        });
    }

    [Test]
    public async Task Batch_cancel_answers_one_outcome_per_found_run_and_lists_unknown_ids()
    {
        var ids = await QueueBatchAsync("Read the page title", "Read the first heading");

        var first = await Client.Runs.CancelRunsBatchAsync(new RunIdsRequest { RunIds = [ids[0], UnknownId, ids[1]] }, Patience);
        if (first.Results.Any(r => r.Status != RunStatus.Cancelled) && Target.Fake is null)
        {
            Assert.Inconclusive($"A run finished before the cancel reached {Target.Name}.");
        }
        await Target.NextMomentAsync(Patience);
        var again = await Client.Runs.CancelRunsBatchAsync(new RunIdsRequest { RunIds = [.. ids] }, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(first.Results.Select(r => r.RunId), Is.EqualTo(ids), "request order");
            Assert.That(first.Results.Select(r => r.Status), Is.All.EqualTo(RunStatus.Cancelled));
            Assert.That(first.Results.Select(r => r.CancelledAt), Is.All.Not.Null);
            Assert.That(first.Results.Select(r => r.Message), Is.All.Null);
            Assert.That(first.NotFound, Is.EqualTo(new[] { UnknownId }));
            Assert.That(again.Results.Select(r => r.Message), Is.All.EqualTo("Run already cancelled"));
            Assert.That(again.Results.Select(r => r.CancelledAt), Is.EqualTo(first.Results.Select(r => r.CancelledAt)), "the first cancel's instants");
            Assert.That(again.NotFound, Is.Null, "not_found is null when every id was found");
        });
    }

    [Test]
    public async Task Batch_cancel_naming_a_blocking_run_is_400_and_cancels_nothing()
    {
        var blocking = await ABlockingRunAsync();
        var id = await QueueAsync();

        var error = Assert.ThrowsAsync<ApiInvalidInputException>(() =>
            Client.Runs.CancelRunsBatchAsync(new RunIdsRequest { RunIds = [id, blocking.RunId!] }, Patience));
        var run = await Client.Runs.GetRunAsync(id, cancellationToken: Patience);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Code, Is.EqualTo("INVALID_INPUT"));
            Assert.That(error.Details?.ToString(), Does.Contain(blocking.RunId), "details name the run that cannot be cancelled");
            Assert.That(run.Status, Is.Not.EqualTo(RunStatus.Cancelled), "all or nothing: the other run was not cancelled");
        });
    }
}
