using TinyFish.Runs;

namespace TinyFish.Runs.Specification;

/// <summary>listRuns: cursor pagination, sort order, filters and total.</summary>
public abstract partial class RunsApiSpecification
{
    private const int PageSize = 2;

    /// <summary>Runs with distinct creation instants (one moment apart), oldest first; those at <paramref name="cancel"/> cancelled at once.</summary>
    private async Task<List<string>> QueueSeveralAsync(int count, params int[] cancel)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (i > 0) await Target.NextMomentAsync(Patience);
            var id = await QueueAsync($"Read the page title, run {i}");
            ids.Add(id);
            if (!cancel.Contains(i)) continue;
            var cancelled = await Client.Runs.CancelRunAsync(id, Patience);
            Assert.That(cancelled.Status, Is.EqualTo(RunStatus.Cancelled), $"run {id} was cancelled before it finished");
        }
        return ids;
    }

    private async Task<List<ListRunsResponse>> WalkAsync(SortDirection? direction)
    {
        var pages = new List<ListRunsResponse>();
        await foreach (var page in Client.Runs.ListRunsPagesAsync(goal: Marker, sortDirection: direction, limit: PageSize, cancellationToken: Patience))
        {
            pages.Add(page);
            Assert.That(pages, Has.Count.LessThanOrEqualTo(10), "the walk ends");
        }
        return pages;
    }

    private static void AssertWalk(List<ListRunsResponse> pages, IReadOnlyCollection<string> expected, bool descending, string what)
    {
        var runs = pages.SelectMany(p => p.Data).ToList();
        var keys = runs.Select(r => (r.CreatedAt, r.RunId)).ToList();
        var ordered = descending
            ? keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.RunId, StringComparer.Ordinal)
            : keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.RunId, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(r => r.RunId), Is.Unique, $"{what}: no run on two pages");
            Assert.That(runs.Select(r => r.RunId), Is.EquivalentTo(expected), $"{what}: every matching run, and only those");
            Assert.That(keys, Is.EqualTo(ordered.ToList()), $"{what}: sorted by created_at (ties by run_id)");
            Assert.That(pages.Select(p => p.Data.Count), Is.All.InRange(1, PageSize), $"{what}: pages hold 1..limit runs");
            Assert.That(pages.Select(p => p.Pagination.Total), Is.All.EqualTo(expected.Count), $"{what}: total counts every match on every page");
            Assert.That(pages.SkipLast(1).Select(p => p.Pagination.HasMore), Is.All.True, $"{what}: has_more until the last page");
            Assert.That(pages.SkipLast(1).Select(p => p.Pagination.NextCursor), Is.All.Not.Null.And.All.Not.Empty, $"{what}: next_cursor until the last page");
            Assert.That(pages[^1].Pagination.HasMore, Is.False, $"{what}: the last page says has_more false");
            Assert.That(pages[^1].Pagination.NextCursor, Is.Null, $"{what}: the last page has no next_cursor");
        });
        foreach (var run in runs) RunShape.AssertConsistent(run);
    }

    [Test]
    public async Task A_walk_over_every_page_sees_each_matching_run_once_in_the_requested_order()
    {
        var ids = await QueueSeveralAsync(5);

        var descending = await WalkAsync(SortDirection.Desc);
        var ascending = await WalkAsync(SortDirection.Asc);
        var byDefault = await WalkAsync(null);
        var all = new List<Run>();
        await foreach (var run in Client.Runs.ListRunsAllAsync(goal: Marker.ToUpperInvariant(), limit: PageSize, cancellationToken: Patience)) all.Add(run);

        AssertWalk(descending, ids, descending: true, "sort_direction=desc");
        AssertWalk(ascending, ids, descending: false, "sort_direction=asc");
        AssertWalk(byDefault, ids, descending: true, "no sort_direction (desc by default)");
        Assert.Multiple(() =>
        {
            Assert.That(descending.Select(p => p.Data.Count), Is.EqualTo(new[] { 2, 2, 1 }), "5 runs at limit 2");
            Assert.That(ascending.SelectMany(p => p.Data).Select(r => r.RunId), Is.EqualTo(ids), "ascending is creation order");
            Assert.That(all.Select(r => r.RunId), Is.EquivalentTo(ids), "the goal filter ignores case; ListRunsAllAsync follows every cursor");
        });
    }

    [Test]
    public async Task Status_and_creation_time_filters_narrow_the_list_and_its_total()
    {
        // Runs 0 and 2 are cancelled as soon as they exist, before they can finish on any server.
        var ids = await QueueSeveralAsync(4, cancel: [0, 2]);
        var created = (await Client.Runs.ListRunsAsync(goal: Marker, limit: 100, cancellationToken: Patience)).Data
            .ToDictionary(r => r.RunId, r => r.CreatedAt, StringComparer.Ordinal);
        Assert.That(created.Keys, Is.EquivalentTo(ids));
        var after = created[ids[0]];
        var before = created[ids[3]];

        var byStatus = await Client.Runs.ListRunsAsync(status: RunStatus.Cancelled, goal: Marker, cancellationToken: Patience);
        var afterFirst = await Client.Runs.ListRunsAsync(goal: Marker, createdAfter: after, cancellationToken: Patience);
        var beforeLast = await Client.Runs.ListRunsAsync(goal: Marker, createdBefore: before, cancellationToken: Patience);
        var between = await Client.Runs.ListRunsAsync(goal: Marker, createdAfter: after, createdBefore: before, sortDirection: SortDirection.Asc, cancellationToken: Patience);
        var cancelledBetween = await Client.Runs.ListRunsAsync(status: RunStatus.Cancelled, goal: Marker, createdAfter: after, createdBefore: before, cancellationToken: Patience);

        // Exclusive bounds (spec choice 10), computed from the instants the server reported.
        string[] Where(Func<DateTimeOffset, bool> keep) => [.. ids.Where(id => keep(created[id]))];
        Assert.Multiple(() =>
        {
            Assert.That(byStatus.Data.Select(r => r.RunId), Is.EquivalentTo(new[] { ids[0], ids[2] }), "status=CANCELLED");
            Assert.That(byStatus.Data.Select(r => r.Status), Is.All.EqualTo(RunStatus.Cancelled));
            Assert.That(byStatus.Pagination.Total, Is.EqualTo(2), "total follows the filters");
            Assert.That(afterFirst.Data.Select(r => r.RunId), Is.EquivalentTo(Where(c => c > after)), "created_after is exclusive");
            Assert.That(afterFirst.Data.Select(r => r.RunId), Does.Not.Contain(ids[0]));
            Assert.That(beforeLast.Data.Select(r => r.RunId), Is.EquivalentTo(Where(c => c < before)), "created_before is exclusive");
            Assert.That(beforeLast.Data.Select(r => r.RunId), Does.Not.Contain(ids[3]));
            Assert.That(between.Data.Select(r => r.RunId), Is.EqualTo(Where(c => c > after && c < before)), "both bounds, ascending");
            Assert.That(between.Pagination.Total, Is.EqualTo(between.Data.Count));
            Assert.That(cancelledBetween.Data.Select(r => r.RunId), Is.EquivalentTo(Where(c => c > after && c < before).Intersect([ids[2]])), "filters combine with AND");
        });
        if (Target.Fake is not null)
        {
            Assert.That(between.Data.Select(r => r.RunId), Is.EqualTo(new[] { ids[1], ids[2] }), "on the fake the runs are a second apart");
        }
    }

    [Test]
    public async Task A_page_without_filters_is_newest_first_and_respects_the_limit()
    {
        await QueueSeveralAsync(3);

        // The server may hold runs of other tests and other users of the account; only the shape
        // and the order are checked here.
        var page = await Client.Runs.ListRunsAsync(limit: 3, cancellationToken: Patience);

        var keys = page.Data.Select(r => (r.CreatedAt, r.RunId)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(page.Data, Has.Count.EqualTo(3));
            Assert.That(keys, Is.EqualTo(keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.RunId, StringComparer.Ordinal).ToList()));
            Assert.That(page.Pagination.Total, Is.GreaterThanOrEqualTo(3));
            Assert.That(page.Pagination.HasMore, Is.EqualTo(page.Pagination.Total > 3));
        });
        foreach (var run in page.Data) RunShape.AssertConsistent(run);
    }
}
