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

    /// <summary>A made-up API's codes: the runtime itself knows none.</summary>
    private static readonly ApiErrorConventions ShopErrors = new()
    {
        Codes = new Dictionary<string, ApiErrorKind>
        {
            ["shop.no_token"] = ApiErrorKind.MissingCredential,
            ["shop.bad_token"] = ApiErrorKind.Authentication,
            ["shop.forbidden"] = ApiErrorKind.PermissionDenied,
            ["shop.slow_down"] = ApiErrorKind.RateLimited,
        },
    };

    [TestCase("shop.no_token", typeof(ApiAuthenticationException))]
    [TestCase("shop.bad_token", typeof(ApiAuthenticationException))]
    [TestCase("shop.forbidden", typeof(ApiPermissionDeniedException))]
    [TestCase("shop.slow_down", typeof(ApiRateLimitedException))]
    [TestCase("SOMETHING_ELSE", typeof(ApiException))]
    public void For_a_status_without_its_own_type_the_code_the_conventions_know_picks_it(string code, Type expected)
    {
        var e = ApiException.Create("op", (HttpStatusCode)499, new ApiError(code, "m", null), "", null, null, ShopErrors);

        Assert.That(e.GetType(), Is.EqualTo(expected));
    }

    [TestCase("MISSING_API_KEY")]
    [TestCase("RATE_LIMIT_EXCEEDED")]
    [TestCase("shop.slow_down")]
    public void The_default_conventions_give_no_code_a_meaning(string code)
    {
        var e = ApiException.Create("op", (HttpStatusCode)499, new ApiError(code, "m", null), "");

        Assert.That(e.GetType(), Is.EqualTo(typeof(ApiException)));
        Assert.That(e.Kind, Is.EqualTo(ApiErrorKind.Unknown));
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
        var missing = (ApiAuthenticationException)ApiException.Create("op", HttpStatusCode.Unauthorized, new ApiError("shop.no_token", "a token is required", null), "", null, null, ShopErrors);
        var invalid = (ApiAuthenticationException)ApiException.Create("op", HttpStatusCode.Unauthorized, new ApiError("shop.bad_token", "bad", null), "", null, null, ShopErrors);
        var unknown = (ApiAuthenticationException)ApiException.Create("op", HttpStatusCode.Unauthorized, new ApiError("shop.no_token", "a token is required", null), "");

        Assert.That(missing.IsKeyMissing, Is.True);
        Assert.That(missing.Kind, Is.EqualTo(ApiErrorKind.MissingCredential));
        Assert.That(invalid.IsKeyMissing, Is.False);
        Assert.That(unknown.IsKeyMissing, Is.False, "without conventions no code means a missing key");
    }

    [Test]
    public void An_RFC_9457_problem_is_read_as_an_error()
    {
        var error = Parse("""{"type":"https://shop.example/probs/out-of-stock","title":"Out of stock","detail":"Item 42 is out of stock","errors":[{"item":42}]}""");

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Code, Is.EqualTo("https://shop.example/probs/out-of-stock"));
        Assert.That(error.Message, Is.EqualTo("Item 42 is out of stock"));
        Assert.That(error.Details!.Value[0].GetProperty("item").GetInt32(), Is.EqualTo(42));
    }
}
