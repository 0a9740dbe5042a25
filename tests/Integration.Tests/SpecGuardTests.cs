using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer;
using TinyFish.FakeServer.SelfChecking;
using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

/// <summary>
/// The spec in <c>openapi/</c>, the fake's routes and the generated client's operations list the same
/// operations: an endpoint added to one and forgotten in another fails here, by name.
/// </summary>
public sealed class SpecGuardTests
{
    /// <summary>Routes of the fake that are not API operations, and why.</summary>
    private static readonly string[] NotApiRoutes =
    [
        "/live/{}",                              // the live view page streaming_url points at (browsers, no API key)
        "/live/{}/events",                       // its EventSource
        "/live/{}/steps/{}/screenshot.png",      // step screenshots the steps[].screenshot URLs point at
        "/_fake/faults",                         // faults on demand over HTTP, for clients of the standalone fake
        "/_fake/scenarios",                      // scenarios over HTTP, likewise
        "/_fake/journal",                        // the request journal over HTTP, likewise
    ];

    private static IReadOnlyList<SpecOperation> SpecOperations => OpenApiSpec.Embedded.Operations;

    [Test]
    public async Task The_fake_routes_exactly_the_operations_of_the_spec()
    {
        var spec = SpecOperations.Select(static operation => $"{operation.Method} {Normalize(operation.PathTemplate)}").ToList();
        await using var fake = FakeTinyFish.Create();
        var routes = fake.Routes
            .Where(static route => route.Metadata.GetMetadata<IHttpMethodMetadata>() is not null) // the fallback has none
            .Where(static route => !NotApiRoutes.Contains(Normalize(route.RoutePattern.RawText ?? "")))
            .SelectMany(static route => route.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(method => $"{method} {Normalize(route.RoutePattern.RawText ?? "")}"))
            .ToList();

        AssertSame("the spec", spec, "the fake's routes", routes);
    }

    [Test]
    public void The_generated_client_has_one_method_per_operation_named_after_its_operationId_under_its_tag()
    {
        var spec = SpecOperations.Select(static operation => $"{Pascal(operation.Tags.FirstOrDefault() ?? "")}.{Pascal(operation.OperationId)}Async").ToList();
        var client = ClientOperations().Select(static operation => $"{operation.Group}.{operation.Method.Name}").ToList();

        AssertSame("the spec (tag.operationId)", spec, "the generated client (group.method)", client);
    }

    [Test]
    public async Task Each_client_method_sends_the_method_and_path_of_its_operation()
    {
        var sent = new List<(string Method, string Path)>();
        var options = new ApiClientOptions { BaseAddress = new Uri("http://spec-guard.invalid/"), ApiKey = "key", Retry = new RetryOptions { MaxRetries = 0 } };
        using var client = new TinyFishClient(options, new HttpClient(new RecordingHandler(sent)));
        var problems = new List<string>();
        foreach (var (group, method) in ClientOperations())
        {
            sent.Clear();
            await InvokeAsync(method, group == "Automation" ? client.Automation : client.Runs);
            var reached = sent.Count == 1 ? OpenApiSpec.Embedded.Find(sent[0].Method, sent[0].Path) : null;
            var name = $"{group}.{method.Name}";
            if (sent.Count != 1) problems.Add($"{name} sent {sent.Count} requests");
            else if (reached is null) problems.Add($"{name} sent {sent[0].Method} {sent[0].Path}, which is no operation of the spec");
            else if ($"{Pascal(reached.OperationId)}Async" != method.Name) problems.Add($"{name} sent {sent[0].Method} {sent[0].Path}, which is {reached.OperationId}");
        }
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void A_difference_names_the_forgotten_operation()
    {
        var failure = Assert.Throws<AssertionException>(() =>
            AssertSame("the spec", ["GET /v1/runs", "POST /v1/runs/{}/pause"], "the fake's routes", ["GET /v1/runs", "DELETE /v1/runs/{}"]));
        Assert.That(failure!.Message, Does.Contain("in the spec but not in the fake's routes: POST /v1/runs/{}/pause")
            .And.Contain("in the fake's routes but not in the spec: DELETE /v1/runs/{}"));
    }

    /// <summary>The public operation methods of each tag group of the client (a paged operation's All/Pages variants are the same operation).</summary>
    private static List<(string Group, MethodInfo Method)> ClientOperations()
    {
        var operations = new List<(string, MethodInfo)>();
        foreach (var group in typeof(TinyFishClient).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(static property => property.PropertyType.Name.EndsWith("Operations", StringComparison.Ordinal)))
        {
            var methods = group.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(static method => method.Name.EndsWith("Async", StringComparison.Ordinal)).ToList();
            var names = methods.Select(static method => method.Name).ToHashSet();
            foreach (var method in methods)
            {
                var variantOf = new[] { "AllAsync", "PagesAsync" }
                    .Where(suffix => method.Name.EndsWith(suffix, StringComparison.Ordinal))
                    .Select(suffix => method.Name[..^suffix.Length] + "Async")
                    .FirstOrDefault();
                if (variantOf is null || !names.Contains(variantOf)) operations.Add((group.Name, method));
            }
        }
        return operations;
    }

    /// <summary>Calls <paramref name="method"/> with sample arguments until its request is sent (the stub answers 404).</summary>
    private static async Task InvokeAsync(MethodInfo method, object group)
    {
        var arguments = method.GetParameters().Select(Sample).ToArray();
        try
        {
            switch (method.Invoke(group, arguments))
            {
                case Task task:
                    await task;
                    break;
                case IAsyncEnumerable<RunEvent> events:
                    await foreach (var _ in events) { }
                    break;
                case var other:
                    Assert.Fail($"{method.Name} returns {other?.GetType().Name ?? "null"}; teach the spec guard to call it");
                    break;
            }
        }
        catch (ApiException)
        {
            // The stub's 404: the request was sent, which is all this test looks at.
        }
    }

    private static object? Sample(ParameterInfo parameter)
    {
        var request = new RunRequest { Url = new Uri("https://example.com"), Goal = "Find the price" };
        return parameter.ParameterType switch
        {
            var type when type == typeof(CancellationToken) => CancellationToken.None,
            var type when type == typeof(string) => "run_1",
            var type when type == typeof(RunRequest) => request,
            var type when type == typeof(BatchRunRequest) => new BatchRunRequest { Runs = [request] },
            var type when type == typeof(RunIdsRequest) => new RunIdsRequest { RunIds = ["run_1"] },
            _ when parameter.HasDefaultValue => parameter.DefaultValue,
            var type => throw new AssertionException($"No sample for {type.Name} {parameter.Name} of {parameter.Member.Name}: add one to the spec guard."),
        };
    }

    private static void AssertSame(string leftName, IReadOnlyCollection<string> left, string rightName, IReadOnlyCollection<string> right)
    {
        var onlyLeft = left.Except(right, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var onlyRight = right.Except(left, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var duplicates = left.Concat(right).GroupBy(static item => item, StringComparer.Ordinal).Where(group => group.Count() > 2).Select(static group => group.Key).ToList();
        if (onlyLeft.Count == 0 && onlyRight.Count == 0 && duplicates.Count == 0) return;
        var message = new StringBuilder("The operations differ:");
        if (onlyLeft.Count > 0) message.Append($"\n  in {leftName} but not in {rightName}: {string.Join(", ", onlyLeft)}");
        if (onlyRight.Count > 0) message.Append($"\n  in {rightName} but not in {leftName}: {string.Join(", ", onlyRight)}");
        if (duplicates.Count > 0) message.Append($"\n  listed more than once: {string.Join(", ", duplicates)}");
        Assert.Fail(message.ToString());
    }

    /// <summary>A path template with its parameters unnamed (<c>/v1/runs/{id}</c> and <c>/v1/runs/{id:int}</c> → <c>/v1/runs/{}</c>).</summary>
    private static string Normalize(string template)
    {
        var path = new StringBuilder();
        var depth = 0;
        foreach (var character in "/" + template.TrimStart('/'))
        {
            if (character == '{' && depth++ == 0) path.Append("{}");
            else if (character == '}') depth--;
            else if (depth == 0) path.Append(character);
        }
        return path.ToString();
    }

    /// <summary><c>runAutomation</c> → <c>RunAutomation</c>, <c>run-sse</c> → <c>RunSse</c>.</summary>
    private static string Pascal(string name) =>
        string.Concat(name.Split(['-', '_', ' '], StringSplitOptions.RemoveEmptyEntries).Select(static part => char.ToUpperInvariant(part[0]) + part[1..]));

    private sealed class RecordingHandler(List<(string Method, string Path)> sent) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Add((request.Method.Method, request.RequestUri!.AbsolutePath));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("""{"error":{"code":"NOT_FOUND","message":"spec guard"}}""", Encoding.UTF8, "application/json"),
            });
        }
    }
}
