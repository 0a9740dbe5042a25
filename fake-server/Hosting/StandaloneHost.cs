using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        await output.WriteLineAsync($"TinyFish fake runs API listening on {string.Join(", ", host.Addresses)}").ConfigureAwait(false);
        await output.WriteLineAsync(options.ApiKey is null
            ? $"No --api-key given: accepting X-API-Key: {host.Options.ApiKey}"
            : "Accepting the X-API-Key given with --api-key.").ConfigureAwait(false);
        await output.WriteLineAsync($"Clock: {options.TimeScale}x real time from {host.Options.StartTime:O}; seed {options.Seed}; {host.State.Store.Count} runs of history. Ctrl+C stops.").ConfigureAwait(false);
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

    public static async Task<StandaloneHost> StartAsync(StandaloneOptions options, CancellationToken cancellationToken)
    {
        var clock = new ScaledTimeProvider(options.TimeScale);
        var fakeOptions = options.ToFakeOptions(clock.GetUtcNow());
        var state = new FakeState(fakeOptions, clock);
        if (options.History > 0) state.Store.AddHistory(HistorySeeder.Generate(options.History, options.Seed, clock.GetUtcNow(), fakeOptions));
        var app = FakeApplication.Build(state, builder =>
        {
            builder.WebHost.UseKestrelCore();
            builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new StandaloneHost(app, state, fakeOptions);
    }

    public async ValueTask DisposeAsync()
    {
        await _state.Stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Stopping.Dispose();
    }
}
