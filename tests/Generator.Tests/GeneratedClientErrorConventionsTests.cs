using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TinyFish.Toolkit.Runtime;

namespace Generator.Tests;

/// <summary>
/// A client generated from a spec that is not TinyFish's (the petstore) gets neutral error conventions,
/// carries no TinyFish names, and maps its own API's error envelope when a partial part of it says how.
/// </summary>
public sealed class GeneratedClientErrorConventionsTests
{
    // The petstore API's own way of failing: {"fault":{"kind","text"}}, and a kind that means "conflict".
    private const string PetstoreConventions = """
        using System.Collections.Generic;
        using TinyFish.Toolkit.Runtime;

        namespace Test.Api;

        public partial class PetstoreClient
        {
            static partial void ConfigureErrorConventions(ref ApiErrorConventions conventions) => conventions = new ApiErrorConventions
            {
                ReadError = body => body.TryGetProperty("fault", out var fault)
                    ? new ApiError(fault.GetProperty("kind").GetString()!, fault.GetProperty("text").GetString()!, null)
                    : null,
                Codes = new Dictionary<string, ApiErrorKind> { ["pets.asleep"] = ApiErrorKind.Conflict },
            };
        }
        """;

    private static readonly string[] TinyFishNames = ["MISSING_API_KEY", "INVALID_API_KEY", "RATE_LIMIT_EXCEEDED", "retry_after", "X-API-Key", "tinyfish.ai", "TinyFishClient"];

    [Test]
    public void The_generated_petstore_client_names_nothing_of_TinyFish_but_the_toolkit()
    {
        var sources = GeneratorHarness.Generate(GeneratorHarness.Spec("petstore.openapi.yaml")).Sources.Select(s => s.SourceText.ToString()).ToList();

        Assert.That(sources, Is.Not.Empty);
        foreach (var name in TinyFishNames)
            Assert.That(sources, Has.None.Contains(name), name);
    }

    [Test]
    public async Task Its_own_envelope_and_codes_map_through_the_conventions_its_partial_part_sets()
    {
        using var loaded = Compile(PetstoreConventions);
        var client = loaded.Client(new StubHandler((HttpStatusCode)499, """{"fault":{"kind":"pets.asleep","text":"Rex is asleep"}}"""));

        var e = await Throws(() => client.Pets.GetPetAsync(7L, CancellationToken.None));

        Assert.That(e, Is.TypeOf<ApiConflictException>());
        Assert.That(e.Code, Is.EqualTo("pets.asleep"));
        Assert.That(e.Message, Does.EndWith("pets.asleep: Rex is asleep"));
        Assert.That(((ApiErrorConventions)loaded.Type("PetstoreClient").GetProperty("ErrorConventions")!.GetValue(null)!).Codes, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Without_a_partial_part_the_client_gets_the_neutral_defaults()
    {
        using var loaded = Compile();
        var client = loaded.Client(new StubHandler((HttpStatusCode)499, """{"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down","retry_after":5}}"""));

        var e = await Throws(() => client.Pets.GetPetAsync(7L, CancellationToken.None));

        Assert.That(e.GetType(), Is.EqualTo(typeof(ApiException)), "no code means anything by default");
        Assert.That(e.Code, Is.EqualTo("RATE_LIMIT_EXCEEDED"), "the conventional error object is still read");
        Assert.That(e.RetryAfter, Is.Null, "no body hint by default");
        Assert.That(loaded.Type("PetstoreClient").GetProperty("ErrorConventions")!.GetValue(null), Is.SameAs(ApiErrorConventions.Default));
    }

    private static async Task<ApiException> Throws(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (ApiException e)
        {
            return e;
        }
        throw new AssertionException("Expected an ApiException.");
    }

    private static Loaded Compile(params string[] extraSources)
    {
        var compilation = GeneratorHarness.Generate(GeneratorHarness.Spec("petstore.openapi.yaml")).Compilation
            .AddSyntaxTrees(extraSources.Select(s => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions)));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.That(emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning), Is.Empty);
        stream.Position = 0;
        var context = new AssemblyLoadContext("conventions", isCollectible: true);
        return new Loaded(context, context.LoadFromStream(stream));
    }

    private sealed class Loaded(AssemblyLoadContext context, Assembly assembly) : IDisposable
    {
        public Type Type(string name) => assembly.GetType("Test.Api." + name, throwOnError: true)!;

        public dynamic Client(HttpMessageHandler handler) => Activator.CreateInstance(
            Type("PetstoreClient"),
            new ApiClientOptions { BaseAddress = new Uri("https://pets.example/"), ApiKey = "secret", Retry = new RetryOptions { MaxRetries = 0 } },
            new HttpClient(handler))!;

        public void Dispose() => context.Unload();
    }

    private sealed class StubHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
