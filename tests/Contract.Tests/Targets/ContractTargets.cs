using TinyFish.Runs;

namespace Contract.Tests.Targets;

/// <summary>
/// Picks the target from the environment: a remote server when both <c>TINYFISH_BASE_URL</c> and
/// <c>TINYFISH_API_KEY</c> are set, else a fresh in-process fake per test.
/// </summary>
public static class ContractTargets
{
    private static RemoteTarget? _remote;
    private static readonly Lock Gate = new();

    /// <summary>Whether the suite runs against a remote server (both variables set and non-empty).</summary>
    public static bool IsRemote =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TinyFishClient.BaseUrlVariable))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TinyFishClient.ApiKeyVariable));

    /// <summary>The target for one test; the caller disposes an in-process one, the session owns a remote one.</summary>
    public static IContractTarget ForTest()
    {
        if (!IsRemote) return new InProcessFakeTarget();
        lock (Gate) return _remote ??= new RemoteTarget();
    }

    /// <summary>Disposes the session's remote target, if one was made.</summary>
    public static async Task DisposeRemoteAsync()
    {
        RemoteTarget? remote;
        lock (Gate)
        {
            remote = _remote;
            _remote = null;
        }
        if (remote is not null) await remote.DisposeAsync();
    }
}
