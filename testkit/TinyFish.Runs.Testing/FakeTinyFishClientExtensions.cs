using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs.Testing;

/// <summary>Connects a <see cref="TinyFishClient"/> to a <see cref="FakeTinyFish"/>.</summary>
public static class FakeTinyFishClientExtensions
{
    /// <summary>
    /// A client that talks to <paramref name="fake"/> in memory with its API key, and waits (retry
    /// delays, timeouts, polling) on the fake's clock, so <see cref="FakeTinyFish.AdvanceAsync"/>
    /// drives both sides. Dispose it, or let the fake's disposal end its requests.
    /// </summary>
    /// <param name="fake">The fake to talk to.</param>
    /// <param name="configure">Changes to the options before the client freezes them (e.g. retries, logging).</param>
    public static TinyFishClient CreateClient(this FakeTinyFish fake, Action<ApiClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var options = new ApiClientOptions
        {
            BaseAddress = fake.BaseAddress,
            ApiKey = fake.ApiKey,
            TimeProvider = fake.Clock,
        };
        configure?.Invoke(options);
        return new TinyFishClient(options, new HttpClient(fake.CreateHandler(), disposeHandler: true));
    }
}
