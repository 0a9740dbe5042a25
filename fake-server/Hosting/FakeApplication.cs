using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Control;
using TinyFish.FakeServer.Streaming;

namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// Builds the fake's web application on any server (TestHost in process, Kestrel standalone), and
/// wires it: each middleware and endpoint group is given only the parts of <see cref="FakeState"/> it
/// uses, so its signature says what it touches. The parts are plain arguments captured once, not
/// services resolved per request (no request scope, no lookup on the hot path).
/// </summary>
internal static class FakeApplication
{
    public static WebApplication Build(FakeState state, Action<WebApplicationBuilder> configureServer)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(FakeApplication).Assembly.GetName().Name });
        builder.Services.AddRoutingCore();
        configureServer(builder);
        var app = builder.Build();
        var options = state.Options;
        var stopping = state.Stopping.Token;
        Pipeline.Use(app, state.Clock, options.SelfCheck ? state.SelfCheck : null, state.Journal, state.Faults,
            options.ApiKey, options.MaxRequestBodyBytes, options.MaxJournalBodyBytes, stopping);
        app.UseRouting();
        AutomationEndpoints.Map(app, state.Reader, state.Store, state.Clock, state.Mapper, state.Events, options.SyncFailureAsHttp500, stopping);
        RunsEndpoints.Map(app, state.Reader, state.Store, state.Cursors, state.Mapper);
        LiveViewEndpoints.Map(app, state.LiveLinks, state.Store, state.Clock, state.Events, stopping);
        ControlRoutes.Map(app, state.Faults, state.Scenarios, state.Journal);
        app.MapFallback(Pipeline.NoRouteAsync);
        return app;
    }
}
