namespace TinyFish.FakeServer.Runs;

/// <summary>A validated list request: the filters, the order, the page size and where the page starts.</summary>
internal sealed record RunQuery(
    RunStatus? Status,
    string? GoalContains,
    DateTimeOffset? CreatedAfter,
    DateTimeOffset? CreatedBefore,
    bool Descending,
    int Limit,
    RunKey? After);

/// <summary>A run as seen at one instant.</summary>
internal readonly record struct RunView(RunRecord Run, RunState State);

/// <summary>One page of a list: its runs, the size of the whole filtered set, and whether more follow.</summary>
internal sealed record RunPage(IReadOnlyList<RunView> Items, int Total, bool HasMore);

internal enum CancelOutcome
{
    NotFound,
    CancelledNow,
    AlreadyCancelled,
    AlreadyFinished,
    NotCancellable,
}

internal readonly record struct CancelResult(CancelOutcome Outcome, RunView? View);
