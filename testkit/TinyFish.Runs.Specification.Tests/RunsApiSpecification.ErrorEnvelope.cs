using System.Net;
using System.Text;
using System.Text.Json;
using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs.Specification;

/// <summary>HTTP-level failures: the <c>{"error":{"code","message","details"}}</c> envelope with the documented status and code.</summary>
public abstract partial class RunsApiSpecification
{
    private static void AssertEnvelope(ApiException? error, HttpStatusCode status, string code)
    {
        Assert.That(error, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(status));
            Assert.That(error.Error, Is.Not.Null, $"the body is the error envelope: {error.RawBody}");
            Assert.That(error.Code, Is.EqualTo(code));
            Assert.That(error.Error?.Message, Is.Not.Null.And.Not.Empty, "a human-readable message");
            Assert.That(() => JsonDocument.Parse(error.RawBody).RootElement.GetProperty("error"), Throws.Nothing, "nested under \"error\"");
        });
    }

    [Test]
    public void A_request_without_a_key_is_401_MISSING_API_KEY()
    {
        RequireRequestsThatBreakTheSpecToReachTheServer("no X-API-Key");
        using var keyless = Target.CreateClient(apiKey: null);

        var error = Assert.ThrowsAsync<ApiAuthenticationException>(() => keyless.Runs.ListRunsAsync(limit: 1, cancellationToken: Patience));

        AssertEnvelope(error, HttpStatusCode.Unauthorized, "MISSING_API_KEY");
        Assert.That(error!.Error?.Message, Is.EqualTo("X-API-Key header is required"));
    }

    [Test]
    public void A_wrong_key_is_401_INVALID_API_KEY()
    {
        using var wrong = Target.CreateClient(apiKey: "contract-wrong-key-" + Guid.NewGuid().ToString("N"));

        var error = Assert.ThrowsAsync<ApiAuthenticationException>(() => wrong.Runs.ListRunsAsync(limit: 1, cancellationToken: Patience));

        AssertEnvelope(error, HttpStatusCode.Unauthorized, "INVALID_API_KEY");
    }

    [Test]
    public void An_unknown_run_is_404_NOT_FOUND_on_get_and_on_cancel()
    {
        var unknown = "run_contract_unknown_" + Guid.NewGuid().ToString("N");

        var onGet = Assert.ThrowsAsync<ApiNotFoundException>(() => Client.Runs.GetRunAsync(unknown, cancellationToken: Patience));
        var onCancel = Assert.ThrowsAsync<ApiNotFoundException>(() => Client.Runs.CancelRunAsync(unknown, Patience));

        AssertEnvelope(onGet, HttpStatusCode.NotFound, "NOT_FOUND");
        AssertEnvelope(onCancel, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [TestCase(0)]
    [TestCase(101)]
    public void A_limit_outside_1_to_100_is_400_INVALID_INPUT_with_details(int limit)
    {
        RequireRequestsThatBreakTheSpecToReachTheServer($"limit={limit}");

        var error = Assert.ThrowsAsync<ApiInvalidInputException>(() => Client.Runs.ListRunsAsync(limit: limit, cancellationToken: Patience));

        AssertEnvelope(error, HttpStatusCode.BadRequest, "INVALID_INPUT");
        Assert.That(error!.Details?.ValueKind, Is.EqualTo(JsonValueKind.Array), "details say what is wrong");
    }

    [Test]
    public void A_cursor_the_server_did_not_issue_is_400_INVALID_INPUT()
    {
        // Shaped like the documented example (base64 of a JSON keyset) but never issued.
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id":"run_contract","createdAt":"2025-01-01T00:00:00Z"}"""));

        var error = Assert.ThrowsAsync<ApiInvalidInputException>(() => Client.Runs.ListRunsAsync(goal: Marker, cursor: forged, cancellationToken: Patience));

        AssertEnvelope(error, HttpStatusCode.BadRequest, "INVALID_INPUT");
    }

    [Test]
    public void An_empty_goal_is_400_INVALID_INPUT_and_queues_nothing()
    {
        RequireRequestsThatBreakTheSpecToReachTheServer("goal shorter than minLength 1");
        var runsBefore = Target.Fake?.RunCount;

        var error = Assert.ThrowsAsync<ApiInvalidInputException>(() =>
            Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "" }, Patience));

        AssertEnvelope(error, HttpStatusCode.BadRequest, "INVALID_INPUT");
        Assert.That(error!.Details?.ToString(), Does.Contain("goal"), "details name the field");
        if (Target.Fake is { } fake) Assert.That(fake.RunCount, Is.EqualTo(runsBefore), "no run was created");
    }
}
