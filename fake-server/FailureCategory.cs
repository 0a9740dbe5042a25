namespace TinyFish.FakeServer;

/// <summary>The <c>category</c> of a run error, which tells a client what to do about a FAILED run.</summary>
public enum FailureCategory
{
    /// <summary><c>SYSTEM_FAILURE</c>: the infrastructure failed; retry after <c>retry_after</c> seconds.</summary>
    SystemFailure,

    /// <summary><c>AGENT_FAILURE</c>: the agent could not do the task; change the input.</summary>
    AgentFailure,

    /// <summary><c>BILLING_FAILURE</c>: out of credits (a 200 with a FAILED run, not a 402).</summary>
    BillingFailure,

    /// <summary><c>UNKNOWN</c>: treat as retryable.</summary>
    Unknown,
}

internal static class FailureCategoryNames
{
    public static string ToWire(this FailureCategory category) => category switch
    {
        FailureCategory.SystemFailure => "SYSTEM_FAILURE",
        FailureCategory.AgentFailure => "AGENT_FAILURE",
        FailureCategory.BillingFailure => "BILLING_FAILURE",
        FailureCategory.Unknown => "UNKNOWN",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}
