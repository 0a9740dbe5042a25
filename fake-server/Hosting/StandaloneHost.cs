using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using TinyFish.FakeServer.History;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Hosting;

/// <summary>The fake on Kestrel, for clients that are not .NET: a real port and a (sped-up) real clock.</summary>
internal sealed class StandaloneHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeState _state;

    private StandaloneHost(WebApplication app, FakeState state, FakeTinyFishOptions options)
    {
        _app = app;
        _state = state;
        Options = options;
    }

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
        Clock: {options.TimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}x real time from {Options.StartTime:O}; seed {options.Seed}; {_state.Store.Count} runs of history. Self-check {(Options.SelfCheck ? "on" : "off")}. Ctrl+C stops.

        """;

    public static async Task<StandaloneHost> StartAsync(StandaloneOptions options, CancellationToken cancellationToken)
    {
        var clock = new ScaledTimeProvider(options.TimeScale);
        var fakeOptions = options.ToFakeOptions(clock.GetUtcNow());
        var state = new FakeState(fakeOptions, clock);
        if (options.History > 0) state.Store.AddHistory(HistorySeeder.Generate(options.History, options.Seed, clock.GetUtcNow(), fakeOptions));
        var app = FakeApplication.Build(state, builder =>
        {
            builder.WebHost.UseKestrelCore();
            builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));
            builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        });
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        state.PublicUrl.ListenAddresses = () => [.. addresses?.Addresses ?? []];
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new StandaloneHost(app, state, fakeOptions);
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
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Stopping.Dispose();
    }
}
