using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using TinyFish.FakeServer.History;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Hosting;

/// <summary>The fake on Kestrel, for clients that are not .NET: a real port and a (sped-up) real clock.</summary>
internal sealed class StandaloneHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeState _state;

    /// <summary>
    /// The largest <c>--history</c> added before the port opens (a fraction of a second); a larger one
    /// is added in the background, so it does not keep the port closed (100,000 runs take ~20 s to make).
    /// </summary>
    public const int HistoryBeforeListening = 2_000;

    private StandaloneHost(WebApplication app, FakeState state, FakeTinyFishOptions options, Task historySeeded)
    {
        _app = app;
        _state = state;
        Options = options;
        HistorySeeded = historySeeded;
    }

    /// <summary>Completes when every run of <c>--history</c> is in the store.</summary>
    public Task HistorySeeded { get; }

    public FakeTinyFishOptions Options { get; }

    /// <summary>The addresses Kestrel listens on (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    internal FakeState State => _state;

    /// <summary>The program: parse, start, print where and with which key, serve until Ctrl+C or SIGTERM.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var options = StandaloneOptions.Parse(args, out var problem);
        if (options is null)
        {
            await errors.WriteLineAsync(problem).ConfigureAwait(false);
            return 2;
        }
        if (options.Help)
        {
            await output.WriteLineAsync(StandaloneOptions.Usage).ConfigureAwait(false);
            return 0;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        await using var host = await StartAsync(options, cancellationToken).ConfigureAwait(false);
        // Nobody awaits a standalone fake in a test, so a violation is said where a person or CI log sees it.
        host.State.SelfCheck.Recorded += violation => errors.WriteLine($"SELF-CHECK FAILED: {violation}");
        await output.WriteAsync(host.Banner(options)).ConfigureAwait(false);
        if (!host.HistorySeeded.IsCompleted)
        {
            _ = host.HistorySeeded.ContinueWith(
                _ => output.WriteLine($"History: all {host.State.Store.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} runs are in."),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
        return 0;
    }

    /// <summary>What the program prints once it listens: where, which key, which clock.</summary>
    public string Banner(StandaloneOptions options) => $"""
        TinyFish fake runs API listening on {string.Join(", ", Addresses)}
        {(options.ApiKey is null ? $"No --api-key given: accepting X-API-Key: {Options.ApiKey}" : "Accepting the X-API-Key given with --api-key.")}
        Clock: {options.TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}x real time from {Options.StartTime:O}; seed {options.Seed}; {History(options)}. Self-check {(Options.SelfCheck ? "on" : "off")}. Ctrl+C stops.

        """;

    private string History(StandaloneOptions options) =>
        HistorySeeded.IsCompleted
            ? $"{_state.Store.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} runs of history"
            : $"{options.History.ToString(System.Globalization.CultureInfo.InvariantCulture)} runs of history being added in the background ({_state.Store.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} so far; lists show them as they arrive)";

    public static async Task<StandaloneHost> StartAsync(StandaloneOptions options, CancellationToken cancellationToken)
    {
        var clock = new ScaledTimeProvider(options.TimeScale);
        var fakeOptions = options.ToFakeOptions(clock.GetUtcNow());
        var state = new FakeState(fakeOptions, clock);
        // One generator for the whole history, so the runs are the same however they are split.
        // The spec (request rules, self-check) loads while the first history is made: the first answer needs it.
        var spec = Task.Run(() => state.RequestRules.For("GET", "/v1/runs"), CancellationToken.None);
        var history = HistorySeeder.Generate(options.History, options.Seed, fakeOptions.StartTime, fakeOptions).GetEnumerator();
        if (options.History <= HistoryBeforeListening) state.Store.AddHistory(Take(history, HistoryBeforeListening));
        await spec.ConfigureAwait(false);
        var app = FakeApplication.Build(state, builder =>
        {
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));
            builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        });
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        state.PublicUrl.ListenAddresses = () => [.. addresses?.Addresses ?? []];
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var seeded = Task.Run(() => AddInChunks(state.Store, history, state.Stopping.Token), CancellationToken.None);
        return new StandaloneHost(app, state, fakeOptions, seeded);
    }

    private static List<RunRecord> Take(IEnumerator<RunRecord> runs, int count)
    {
        var taken = new List<RunRecord>(Math.Min(count, 1024));
        while (taken.Count < count && runs.MoveNext()) taken.Add(runs.Current);
        return taken;
    }

    /// <summary>Adds the runs a chunk at a time (each chunk under the store's lock once), until done or the fake stops.</summary>
    private static void AddInChunks(RunStore store, IEnumerator<RunRecord> runs, CancellationToken stopping)
    {
        using (runs)
        {
            while (!stopping.IsCancellationRequested && Take(runs, 2_000) is { Count: > 0 } chunk) store.AddHistory(chunk);
        }
    }

    /// <summary>
    /// Kestrel's limits, set so the fake answers what it can with its own envelope: no body-size
    /// limit of Kestrel's (the fake's <see cref="FakeTinyFishOptions.MaxRequestBodyBytes"/> answers
    /// first), a slow body refused after <see cref="StandaloneOptions.BodyTimeoutSeconds"/> (answered
    /// 408 by the fake), and what Kestrel still refuses itself given the envelope on the way out.
    /// </summary>
    private static void ConfigureKestrel(KestrelServerOptions kestrel, StandaloneOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(options.BodyTimeoutSeconds));
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(options.BodyTimeoutSeconds);
        kestrel.ConfigureEndpointDefaults(endpoint =>
        {
            endpoint.Protocols = HttpProtocols.Http1;
            endpoint.Use(BelowTheAppErrors.Use);
        });
    }

    /// <summary>Kestrel answers a longer request line (URL) itself: 414, with the envelope.</summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    /// <summary>Kestrel answers larger request headers itself: 431, with the envelope.</summary>
    public const int MaxRequestHeadersBytes = 64 * 1024;

    public async ValueTask DisposeAsync()
    {
        await _state.Stopping.CancelAsync().ConfigureAwait(false);
        await HistorySeeded.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Stopping.Dispose();
    }
}
