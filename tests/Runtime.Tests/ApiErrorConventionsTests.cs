using System.Net;
using System.Text.Json;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>An API's own error conventions, as the pipeline applies them to its error responses.</summary>
public sealed class ApiErrorConventionsTests
{
    [Test]
    public void An_APIs_own_envelope_and_codes_make_the_exception()
    {
        var conventions = new ApiErrorConventions
        {
            ReadError = body => body.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0
                ? new ApiError(errors[0].GetProperty("reason").GetString()!, errors[0].GetProperty("text").GetString()!, errors)
                : null,
            Codes = new Dictionary<string, ApiErrorKind> { ["quota"] = ApiErrorKind.RateLimited },
        };
        var handler = new ScriptedHandler().ThenJson((HttpStatusCode)499, """{"errors":[{"reason":"quota","text":"Daily quota used up"}]}""");
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.MaxRetries = 0, errors: conventions);

        var e = Assert.ThrowsAsync<ApiRateLimitedException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));

        Assert.That(e!.Code, Is.EqualTo("quota"));
        Assert.That(e.Kind, Is.EqualTo(ApiErrorKind.RateLimited));
        Assert.That(e.Message, Does.EndWith("quota: Daily quota used up"));
    }

    [Test]
    public void The_error_body_is_parsed_once_and_every_reader_gets_the_same_json()
    {
        var seen = new List<(string Reader, JsonElement Body)>();
        var conventions = new ApiErrorConventions
        {
            ReadError = body =>
            {
                seen.Add(("error", body));
                return ApiErrorConventions.ReadConventionalError(body);
            },
            ReadRetryAfter = body =>
            {
                seen.Add(("retry-after", body));
                return TimeSpan.FromSeconds(body.GetProperty("error").GetProperty("wait").GetInt32());
            },
        };
        var time = new VirtualClock();
        var handler = new ScriptedHandler().ThenJson(TooMany, """{"error":{"code":"busy","message":"later","wait":3}}""");
        using var pipeline = Create(handler, time, o => o.Retry.MaxRetries = 0, errors: conventions);

        var e = Assert.ThrowsAsync<ApiRateLimitedException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));

        Assert.That(e!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(seen.Select(s => s.Reader), Is.EquivalentTo(new[] { "error", "retry-after" }), "each reader once");
        Assert.That(seen.Select(s => s.Body.GetRawText()).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_body_that_is_not_json_reaches_no_reader_and_the_status_still_tells()
    {
        var calls = 0;
        var conventions = new ApiErrorConventions
        {
            ReadError = _ => { calls++; return null; },
            ReadRetryAfter = _ => { calls++; return null; },
        };
        var handler = new ScriptedHandler().Then(() => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>Bad gateway</html>") });
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.MaxRetries = 0, errors: conventions);

        var e = Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));

        Assert.That(calls, Is.Zero);
        Assert.That(e!.RawBody, Is.EqualTo("<html>Bad gateway</html>"));
    }

    [Test]
    public void A_reader_that_throws_leaves_the_error_unread_instead_of_hiding_the_failure()
    {
        var conventions = new ApiErrorConventions { ReadError = body => new ApiError(body.GetProperty("missing").GetString()!, "", null) };
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.NotFound, """{"error":{"code":"NOT_FOUND"}}""");
        using var pipeline = Create(handler, new VirtualClock(), errors: conventions);

        var e = Assert.ThrowsAsync<ApiNotFoundException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));

        Assert.That(e!.Error, Is.Null);
    }

    [TestCase("MISSING_API_KEY")]
    [TestCase("INVALID_API_KEY")]
    [TestCase("RATE_LIMIT_EXCEEDED")]
    [TestCase("retry_after")]
    public void The_runtime_assembly_holds_no_error_code_or_field_of_a_particular_API(string name)
    {
        var assembly = File.ReadAllBytes(typeof(ApiPipeline).Assembly.Location);

        Assert.That(assembly.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(name)), Is.EqualTo(-1), "as a string literal");
        Assert.That(assembly.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(name)), Is.EqualTo(-1), "as a name");
    }

    [Test]
    public void The_default_conventions_read_no_wait_hint_from_a_body()
    {
        Assert.That(ApiErrorConventions.Default.ReadRetryAfter, Is.Null);
        Assert.That(ApiErrorConventions.Default.Codes, Is.Empty);
    }
}
