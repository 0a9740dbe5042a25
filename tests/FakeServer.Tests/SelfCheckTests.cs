using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.SelfChecking;

namespace FakeServer.Tests;

/// <summary>The self-check (<see cref="FakeTinyFishOptions.SelfCheck"/>): a broken answer cannot pass unnoticed.</summary>
public sealed class SelfCheckTests
{
    private const string BrokenRunId = "run_broken_result";

    [Test]
    public void The_self_check_is_on_by_default()
    {
        Assert.That(new FakeTinyFishOptions().SelfCheck, Is.True);
    }

    [Test]
    public async Task A_result_that_is_not_an_object_becomes_a_500_SELF_CHECK_FAILED_naming_the_path_and_the_rule()
    {
        var fake = FakeTinyFish.Create();
        AddRunWhoseResultIsAnArray(fake);

        using var response = await fake.Http.GetAsync($"/v1/runs/{BrokenRunId}");
        var body = await response.AssertErrorAsync(500, "SELF_CHECK_FAILED");
        var error = body.GetProperty("error");
        var detail = error.GetProperty("details")[0];
        var violation = fake.SelfCheck.Violations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.Zero), "a client that retries 500s does so at once");
            Assert.That(error.Str("message"), Does.Contain($"GET /v1/runs/{BrokenRunId}").And.Contain("$.result: type"));
            Assert.That(detail.Str("field"), Is.EqualTo("$.result"));
            Assert.That(detail.Str("message"), Does.Contain("body: type:").And.Contain("\"array\"").And.Contain("[#/components/schemas/Run/properties/result]"));
            Assert.That(violation.OperationId, Is.EqualTo("getRun"));
            Assert.That(violation.StatusCode, Is.EqualTo(200), "the status the fake meant to send");
            Assert.That(violation.Part, Is.EqualTo("body"));
            Assert.That(violation.Errors.Single(), Is.EqualTo(new SelfCheckError("$.result", "type", "Value is \"array\" but should be \"object, null\"", "#/components/schemas/Run/properties/result")));
            Assert.That(violation.Content, Does.Contain("\"result\":[1,2,3]"));
            Assert.That(fake.Journal.Entries[^1].StatusCode, Is.EqualTo(500), "the journal records what the client got");
        });

        var thrown = Assert.ThrowsAsync<SelfCheckFailedException>(async () => await fake.AdvanceAsync(TimeSpan.Zero));
        Assert.That(thrown!.Message, Does.Contain("(getRun), body:").And.Contain("$.result: type: Value is \"array\""));
        Assert.That(thrown.Violations, Is.EqualTo(new[] { violation }));
        Assert.DoesNotThrowAsync(async () => await fake.DisposeAsync(), "each violation fails a test once");
    }

    [Test]
    public async Task A_list_page_names_the_item_that_broke_the_spec()
    {
        var fake = FakeTinyFish.Create();
        await fake.Http.QueueAsync();
        AddRunWhoseResultIsAnArray(fake);

        using var response = await fake.Http.GetAsync("/v1/runs?sort_direction=asc");
        var body = await response.AssertErrorAsync(500, "SELF_CHECK_FAILED");

        Assert.That(body.GetProperty("error").GetProperty("details")[0].Str("field"), Is.EqualTo("$.data[0].result"));
        var thrown = Assert.ThrowsAsync<SelfCheckFailedException>(async () => await fake.DisposeAsync());
        Assert.That(thrown!.Violations.Single().OperationId, Is.EqualTo("listRuns"));
    }

    [Test]
    public async Task A_canned_answer_that_breaks_the_spec_is_caught_like_the_fakes_own()
    {
        // The same answer .ci/run's canary arms on the standalone fake, with the self-check off, for Prism to catch.
        var fake = FakeTinyFish.Create();
        fake.Faults.NextRequest().To("GET", "/v1/runs").AnswerWith(200, """{"data":[],"pagination":{"total":"0","next_cursor":null,"has_more":false}}""");

        using var response = await fake.Http.GetAsync("/v1/runs");
        var body = await response.AssertErrorAsync(500, "SELF_CHECK_FAILED");

        Assert.That(body.GetProperty("error").GetProperty("details")[0].Str("field"), Is.EqualTo("$.pagination.total"));
        var thrown = Assert.ThrowsAsync<SelfCheckFailedException>(async () => await fake.DisposeAsync());
        Assert.That(thrown!.Violations.Single().OperationId, Is.EqualTo("listRuns"));
    }

    [Test]
    public async Task Disposing_a_fake_that_broke_the_spec_fails_the_test()
    {
        var fake = FakeTinyFish.Create();
        AddRunWhoseResultIsAnArray(fake);
        using var response = await fake.Http.PostJsonAsync("/v1/runs/batch", $$"""{"run_ids":["{{BrokenRunId}}"]}""");

        var thrown = Assert.ThrowsAsync<SelfCheckFailedException>(async () => await fake.DisposeAsync());
        Assert.That(thrown!.Message, Does.StartWith("The fake sent 1 answer that breaks openapi/tinyfish-runs.openapi.yaml (self-check):")
            .And.Contain("POST /v1/runs/batch → 200 (getRunsBatch), body:")
            .And.Contain("$.data[0].result: type:"));
    }

    [Test, CancelAfter(20_000)]
    public async Task A_stream_event_that_breaks_the_spec_drops_the_stream_and_fails_the_next_advance(CancellationToken cancellationToken)
    {
        var fake = FakeTinyFish.Create();
        AddRunWhoseResultIsAnArray(fake);
        var events = $"/live/{BrokenRunId}/events?token={fake.State.LiveLinks.Token(BrokenRunId)}";

        using var browser = fake.CreateHttpClient();
        using var response = await browser.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var received = new List<string>();
        Exception? dropped = null;
        try
        {
            while (await reader.NextAsync(cancellationToken) is { } next) received.Add(next.Str("type"));
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            dropped = exception;
        }

        Assert.Multiple(() =>
        {
            Assert.That(dropped, Is.Not.Null, "the client sees the stream break, not a COMPLETE the spec forbids");
            // TestHost drops what the client had not read yet when the connection is aborted.
            Assert.That(received, Has.None.EqualTo("COMPLETE"));
        });
        var thrown = Assert.ThrowsAsync<SelfCheckFailedException>(async () => await fake.AdvanceAsync(TimeSpan.FromSeconds(1), cancellationToken));
        var violation = thrown!.Violations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(violation.Part, Is.EqualTo("event 4"));
            Assert.That(violation.OperationId, Is.Null, "the live view is not an operation, but streams the run's events");
            Assert.That(violation.Errors.Single().Path, Is.EqualTo("$.result"), "the discriminator picks the COMPLETE branch; other branches are not reported");
            Assert.That(violation.Errors.Single().SchemaLocation, Is.EqualTo("#/components/schemas/CompleteEvent/properties/result"));
        });
        await fake.DisposeAsync();
    }

    [Test, CancelAfter(20_000)]
    public async Task A_scenario_that_makes_the_fake_break_the_spec_is_caught_on_run_sse_and_run_async(CancellationToken cancellationToken)
    {
        var fake = FakeTinyFish.Create();
        // help_url is `format: uri` in RunError; the scenario builder does not check it, the self-check does.
        fake.Runs.WhenAny().RefusedWith(FailureCategory.BillingFailure, "Insufficient credits", helpUrl: "see the billing page");

        using var queued = await fake.Http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
        var body = await queued.AssertErrorAsync(500, "SELF_CHECK_FAILED");
        Assert.That(body.GetProperty("error").GetProperty("details")[0].Str("field"), Is.EqualTo("$.error.help_url"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = TestHelpers.Json(TestHelpers.MinimalRun) };
        using var streamed = await fake.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new SseReader(await streamed.Content.ReadAsStreamAsync(cancellationToken));
        Assert.That(async () => await reader.ReadToEndAsync(cancellationToken), Throws.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>());

        var thrown = Assert.ThrowsAsync<SelfCheckFailedException>(async () => await fake.WhenIdleAsync(cancellationToken));
        Assert.That(thrown!.Violations.Select(static violation => (violation.OperationId, violation.Part, violation.Errors.Single().Path, violation.Errors.Single().Rule)),
            Is.EqualTo(new[] { ("queueRun", "body", "$.error.help_url", "format"), ("streamRun", "event 3", "$.error.help_url", "format") }));
        await fake.DisposeAsync();
    }

    [Test]
    public async Task Clear_accepts_a_violation_provoked_on_purpose()
    {
        var fake = FakeTinyFish.Create();
        AddRunWhoseResultIsAnArray(fake);
        using var response = await fake.Http.GetAsync($"/v1/runs/{BrokenRunId}");
        Assert.That(fake.SelfCheck.Violations, Has.Count.EqualTo(1));

        fake.SelfCheck.Clear();

        Assert.That(fake.SelfCheck.Violations, Is.Empty);
        Assert.DoesNotThrowAsync(async () => await fake.DisposeAsync());
    }

    [Test]
    public async Task With_the_self_check_off_the_broken_answer_goes_out_as_it_is()
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = false });
        AddRunWhoseResultIsAnArray(fake);

        var run = await fake.Http.GetRunAsync(BrokenRunId);

        Assert.That(run.GetProperty("result").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(fake.SelfCheck is { Enabled: false, Violations.Count: 0 });
    }

    [Test, CancelAfter(30_000)]
    public async Task Every_operation_of_a_healthy_fake_passes_the_self_check(CancellationToken cancellationToken)
    {
        await using var fake = FakeTinyFish.Create();
        fake.SeedHistory(30, seed: 7);
        fake.Runs.WhenGoalContains("fail").FailsWith(FailureCategory.SystemFailure, "Browser crashed", TimeSpan.FromSeconds(30), "BROWSER_CRASHED");
        var id = await fake.Http.QueueAsync();
        var failing = await fake.Http.QueueAsync("""{"url":"https://example.com","goal":"fail please"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = TestHelpers.Json(TestHelpers.MinimalRun) };
        using var streamed = await fake.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var blocking = fake.Http.PostJsonAsync("/v1/automation/run", TestHelpers.MinimalRun);
        await fake.AdvanceAsync(TimeSpan.FromSeconds(30), cancellationToken);
        using var reader = new SseReader(await streamed.Content.ReadAsStreamAsync(cancellationToken));
        var events = await reader.ReadToEndAsync(cancellationToken);
        using var sync = await blocking;

        string[] paths =
        [
            $"/v1/runs/{id}", $"/v1/runs/{failing}?screenshots=base64", $"/v1/runs/{id}?screenshots=none", "/v1/runs?limit=100",
            "/v1/runs?status=FAILED&sort_direction=asc&limit=2", "/v1/runs/run_unknown", "/v1/runs?limit=0",
        ];
        foreach (var path in paths) (await fake.Http.GetAsync(path, cancellationToken)).Dispose();
        (await fake.Http.PostJsonAsync("/v1/automation/run-batch", $$"""{"runs":[{{TestHelpers.MinimalRun}}]}""")).Dispose();
        (await fake.Http.PostJsonAsync("/v1/runs/batch", $$"""{"run_ids":["{{id}}","run_unknown"]}""")).Dispose();
        (await fake.Http.PostJsonAsync("/v1/runs/batch/cancel", $$"""{"run_ids":["{{id}}","{{failing}}"]}""")).Dispose();
        (await fake.Http.PostAsync($"/v1/runs/{id}/cancel", null, cancellationToken)).Dispose();
        fake.Faults.NextRequest().AreRateLimited(TimeSpan.FromSeconds(3));
        (await fake.Http.GetAsync("/v1/runs", cancellationToken)).Dispose();
        (await fake.CreateHttpClient().GetAsync("/v1/runs", cancellationToken)).Dispose();
        (await fake.Http.DeleteAsync("/v1/runs", cancellationToken)).Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(static e => e.Str("type")), Does.Contain("COMPLETE"));
            Assert.That(sync.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(fake.Journal.Entries.Select(static entry => entry.StatusCode), Has.None.EqualTo(500));
            Assert.That(fake.SelfCheck.Violations, Is.Empty);
        });
    }

    /// <summary>
    /// A run the API could never produce — its result is an array, where the spec says object or null
    /// — put in the store through the fake's insides (scenarios refuse such a result).
    /// </summary>
    private static void AddRunWhoseResultIsAnArray(FakeTinyFish fake)
    {
        using var result = JsonDocument.Parse("[1,2,3]");
        var request = new RunRequestData("https://example.com/products", "List the products", false, null, null, false, null);
        var plan = new RunPlan(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), new RunEnding(RunStatus.Completed, result.RootElement.Clone(), null),
            ImmutableArray.Create("Open the page"), TimeSpan.FromSeconds(1));
        var createdAt = fake.Clock.GetUtcNow() - TimeSpan.FromMinutes(5);
        fake.State.Store.AddHistory([new RunRecord(BrokenRunId, createdAt, RunOrigin.History, request, plan)]);
    }
}
