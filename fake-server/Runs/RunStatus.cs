namespace TinyFish.FakeServer.Runs;

/// <summary>The five statuses of the API, in the order a run can pass through them.</summary>
internal enum RunStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}

internal static class RunStatusNames
{
    public const int Count = 5;

    public static string ToWire(this RunStatus status) => status switch
    {
        RunStatus.Pending => "PENDING",
        RunStatus.Running => "RUNNING",
        RunStatus.Completed => "COMPLETED",
        RunStatus.Failed => "FAILED",
        RunStatus.Cancelled => "CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Exact, upper-case names only: the API is strict about enum values.</summary>
    public static bool TryParse(string? value, out RunStatus status)
    {
        switch (value)
        {
            case "PENDING": status = RunStatus.Pending; return true;
            case "RUNNING": status = RunStatus.Running; return true;
            case "COMPLETED": status = RunStatus.Completed; return true;
            case "FAILED": status = RunStatus.Failed; return true;
            case "CANCELLED": status = RunStatus.Cancelled; return true;
            default: status = default; return false;
        }
    }

    public static bool IsTerminal(this RunStatus status) => status >= RunStatus.Completed;
}
