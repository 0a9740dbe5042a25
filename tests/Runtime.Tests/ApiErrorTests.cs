using System.Net;
using System.Text;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

/// <summary><see cref="ApiError"/> parsing and the <see cref="ApiException"/> hierarchy it feeds.</summary>
public class ApiErrorTests
{
    private static ApiError? Parse(string json) => ApiError.TryParse(Encoding.UTF8.GetBytes(json));

    [Test]
    public void An_envelope_is_read_with_code_message_and_details()
    {
        var error = Parse("""{"error":{"code":"INVALID_INPUT","message":"url is required","details":[{"field":"url"}]}}""");

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Code, Is.EqualTo("INVALID_INPUT"));
        Assert.That(error.Message, Is.EqualTo("url is required"));
        Assert.That(error.Details!.Value[0].GetProperty("field").GetString(), Is.EqualTo("url"));
    }

    [TestCase("""{"code":"NOT_FOUND","message":"no such run"}""", "NOT_FOUND")]
    [TestCase("""{"error":{"message":"only a message"}}""", "")]
    public void A_bare_or_partial_error_object_is_read(string json, string code)
    {
        Assert.That(Parse(json)?.Code, Is.EqualTo(code));
    }

    [TestCase("")]
    [TestCase("<html>Bad gateway</html>")]
    [TestCase("[1,2]")]
    [TestCase("""{"status":"FAILED"}""")]
    public void Something_that_is_not_an_envelope_gives_null(string body)
    {
        Assert.That(Parse(body), Is.Null);
    }

    [TestCase(400, typeof(ApiInvalidInputException))]
    [TestCase(422, typeof(ApiInvalidInputException))]
    [TestCase(401, typeof(ApiAuthenticationException))]
    [TestCase(403, typeof(ApiPermissionDeniedException))]
    [TestCase(404, typeof(ApiNotFoundException))]
    [TestCase(409, typeof(ApiConflictException))]
    [TestCase(429, typeof(ApiRateLimitedException))]
    [TestCase(500, typeof(ApiServerException))]
    [TestCase(503, typeof(ApiServerException))]
    [TestCase(408, typeof(ApiException))]
    [TestCase(418, typeof(ApiException))]
    public void The_status_picks_the_exception_type(int status, Type expected)
    {
        var e = ApiException.Create("op", (HttpStatusCode)status, null, "");

        Assert.That(e.GetType(), Is.EqualTo(expected));
        Assert.That(e, Is.InstanceOf<ApiException>());
    }

    [TestCase("MISSING_API_KEY", typeof(ApiAuthenticationException))]
    [TestCase("INVALID_API_KEY", typeof(ApiAuthenticationException))]
    [TestCase("UNAUTHORIZED", typeof(ApiAuthenticationException))]
    [TestCase("FORBIDDEN", typeof(ApiPermissionDeniedException))]
    [TestCase("RATE_LIMIT_EXCEEDED", typeof(ApiRateLimitedException))]
    [TestCase("SOMETHING_ELSE", typeof(ApiException))]
    public void For_a_status_without_its_own_type_the_code_picks_it(string code, Type expected)
    {
        var e = ApiException.Create("op", (HttpStatusCode)499, new ApiError(code, "m", null), "");

        Assert.That(e.GetType(), Is.EqualTo(expected));
    }

    [Test]
    public void The_exception_keeps_status_code_error_raw_body_and_retry_after()
    {
        var error = Parse("""{"error":{"code":"INVALID_INPUT","message":"bad url","details":{"url":"not absolute"}}}""");
        var e = (ApiInvalidInputException)ApiException.Create("queueRun", HttpStatusCode.BadRequest, error, "raw", TimeSpan.FromSeconds(3));

        Assert.That(e.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(e.Code, Is.EqualTo("INVALID_INPUT"));
        Assert.That(e.RawBody, Is.EqualTo("raw"));
        Assert.That(e.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(e.Details!.Value.GetProperty("url").GetString(), Is.EqualTo("not absolute"));
        Assert.That(e.Message, Is.EqualTo("queueRun failed with HTTP 400 INVALID_INPUT: bad url"));
    }

    [Test]
    public void A_missing_key_is_told_apart_from_a_wrong_one()
    {
        var missing = (ApiAuthenticationException)ApiException.Create("op", HttpStatusCode.Unauthorized, new ApiError("MISSING_API_KEY", "X-API-Key header is required", null), "");
        var invalid = (ApiAuthenticationException)ApiException.Create("op", HttpStatusCode.Unauthorized, new ApiError("INVALID_API_KEY", "bad", null), "");

        Assert.That(missing.IsKeyMissing, Is.True);
        Assert.That(invalid.IsKeyMissing, Is.False);
    }

    [TestCase("""{"retry_after":5}""", 5.0)]
    [TestCase("""{"error":{"message":"busy","category":"SYSTEM_FAILURE","retry_after":7}}""", 7.0)]
    [TestCase("""{"error":{"retryAfter":"1.5"}}""", 1.5)]
    [TestCase("""{"error":{"retry_after":null}}""", null)]
    [TestCase("""{"retry_after":-1}""", null)]
    [TestCase("""not json""", null)]
    [TestCase("""{"error":"text"}""", null)]
    public void The_default_body_hint_reads_retry_after_in_seconds(string body, double? seconds)
    {
        var hint = RetryOptions.ReadRetryAfterFromJson(Encoding.UTF8.GetBytes(body));

        Assert.That(hint, Is.EqualTo(seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null));
    }
}
