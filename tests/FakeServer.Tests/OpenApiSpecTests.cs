using TinyFish.FakeServer.SelfChecking;

namespace FakeServer.Tests;

/// <summary>The embedded spec as the self-check reads it: operations, routing of a request to one, documented responses.</summary>
public sealed class OpenApiSpecTests
{
    private static OpenApiSpec Spec => OpenApiSpec.Embedded;

    [Test]
    public void The_embedded_spec_lists_the_nine_operations()
    {
        Assert.That(Spec.Operations.Select(static operation => operation.OperationId), Is.EquivalentTo(new[]
        {
            "runAutomation", "queueRun", "streamRun", "queueRunBatch", "listRuns", "getRun", "cancelRun", "getRunsBatch", "cancelRunsBatch",
        }));
    }

    [TestCase("POST", "/v1/runs/batch/cancel", "cancelRunsBatch")]
    [TestCase("POST", "/v1/runs/run_1/cancel", "cancelRun")]
    [TestCase("POST", "/v1/runs/batch", "getRunsBatch")]
    [TestCase("GET", "/v1/runs/batch", "getRun")]
    [TestCase("GET", "/v1/runs/", "listRuns")]
    [TestCase("GET", "/V1/RUNS", "listRuns")]
    [TestCase("get", "/v1/runs/..%2F..", "getRun")]
    public void A_request_reaches_the_operation_the_router_would_pick(string method, string path, string operationId)
    {
        Assert.That(Spec.Find(method, path)?.OperationId, Is.EqualTo(operationId));
    }

    [TestCase("DELETE", "/v1/runs")]
    [TestCase("POST", "/v1/runs//cancel")]
    [TestCase("GET", "/live/run_1")]
    [TestCase("POST", "/v1/automation")]
    public void Other_requests_reach_no_operation(string method, string path)
    {
        Assert.That(Spec.Find(method, path), Is.Null);
    }

    [Test]
    public void Responses_follow_references_to_their_schema_and_headers()
    {
        var getRun = Spec.Operations.Single(static operation => operation.OperationId == "getRun");
        var ok = Spec.Response(getRun, 200)!;
        var limited = Spec.Response(getRun, 429)!;
        var stream = Spec.Response(Spec.Operations.Single(static operation => operation.OperationId == "streamRun"), 200)!;
        Assert.Multiple(() =>
        {
            Assert.That(ok.Content["application/json"], Is.EqualTo("/paths/~1v1~1runs~1{id}/get/responses/200/content/application~1json/schema"));
            Assert.That(limited.Content["application/json"], Is.EqualTo("/components/responses/TooManyRequests/content/application~1json/schema"));
            Assert.That(limited.HeaderSchemas["Retry-After"], Is.EqualTo("/components/responses/TooManyRequests/headers/Retry-After/schema"));
            Assert.That(stream.Content.Keys, Is.EqualTo(new[] { "text/event-stream" }));
            Assert.That(Spec.Response(getRun, 418), Is.Null);
        });
    }
}
