using System.Text.Json;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

/// <summary>TinyFish's error conventions, which the runs layer gives the generated client (the runtime knows none).</summary>
public sealed class TinyFishClientErrorConventionsTests
{
    [Test]
    public async Task A_request_without_a_key_is_told_apart_from_a_wrong_key()
    {
        await using var fake = new FakeTinyFish();
        using var noKey = fake.CreateClient(o => o.ApiKey = null);
        using var wrongKey = fake.CreateClient(o => o.ApiKey = "not-the-key");

        var missing = Assert.ThrowsAsync<ApiAuthenticationException>(() => noKey.Runs.GetRunAsync("run_1"));
        var invalid = Assert.ThrowsAsync<ApiAuthenticationException>(() => wrongKey.Runs.GetRunAsync("run_1"));

        Assert.Multiple(() =>
        {
            Assert.That(missing!.IsKeyMissing, Is.True);
            Assert.That(missing.Kind, Is.EqualTo(ApiErrorKind.MissingCredential));
            Assert.That(invalid!.IsKeyMissing, Is.False);
            Assert.That(invalid.Code, Is.EqualTo("INVALID_API_KEY"));
        });
    }

    [TestCase("MISSING_API_KEY", ApiErrorKind.MissingCredential)]
    [TestCase("INVALID_API_KEY", ApiErrorKind.Authentication)]
    [TestCase("RATE_LIMIT_EXCEEDED", ApiErrorKind.RateLimited)]
    [TestCase("NOT_FOUND", ApiErrorKind.NotFound)]
    [TestCase("BROWSER_CRASHED", ApiErrorKind.Unknown)]
    public void The_documented_codes_have_their_meaning(string code, ApiErrorKind kind)
    {
        Assert.That(TinyFishClient.ErrorConventions.KindOf(new ApiError(code, "", null)), Is.EqualTo(kind));
    }

    [TestCase("""{"retry_after":5}""", 5.0)]
    [TestCase("""{"error":{"message":"busy","category":"SYSTEM_FAILURE","retry_after":7}}""", 7.0)]
    [TestCase("""{"error":{"retryAfter":"1.5"}}""", 1.5)]
    [TestCase("""{"error":{"retry_after":null}}""", null)]
    [TestCase("""{"retry_after":-1}""", null)]
    [TestCase("""{"error":"text"}""", null)]
    public void The_body_hint_is_retry_after_in_seconds(string body, double? seconds)
    {
        using var document = JsonDocument.Parse(body);

        var hint = TinyFishClient.ErrorConventions.ReadRetryAfter!(document.RootElement);

        Assert.That(hint, Is.EqualTo(seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null));
    }
}
