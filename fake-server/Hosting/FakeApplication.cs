using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Control;
using TinyFish.FakeServer.Streaming;

namespace TinyFish.FakeServer.Hosting;

/// <summary>Builds the fake's web application on any server (TestHost in process, Kestrel standalone).</summary>
internal static class FakeApplication
{
    public static WebApplication Build(FakeState state, Action<WebApplicationBuilder> configureServer)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(FakeApplication).Assembly.GetName().Name });
        builder.Services.AddRoutingCore();
        configureServer(builder);
        var app = builder.Build();
        Pipeline.Use(app, state);
        app.UseRouting();
        AutomationEndpoints.Map(app, state);
        RunsEndpoints.Map(app, state);
        LiveViewEndpoints.Map(app, state);
        ControlRoutes.Map(app, state);
        app.MapFallback(Pipeline.NoRouteAsync);
        return app;
    }
}
