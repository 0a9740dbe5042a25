using TinyFish.FakeServer;
using TinyFish.FakeServer.SelfChecking;

namespace FakeServer.Tests;

/// <summary>
/// The fake's request rules are the spec's: a fake built on an edited copy of
/// <c>openapi/tinyfish-runs.openapi.yaml</c> enforces the edit, with no change to the fake's code.
/// </summary>
public sealed class SpecRequestRulesTests
{
    private const string GoalRule = "        goal:\n          type: string\n          minLength: 1\n";

    [Test]
    public async Task A_max_length_added_to_goal_in_a_copy_of_the_spec_is_enforced()
    {
        var edited = Edit(GoalRule, GoalRule + "          maxLength: 10\n");
        const string body = """{"url":"https://example.com","goal":"Eleven char"}""";

        await using (var stock = FakeTinyFish.Create()) await stock.Http.QueueAsync(body);
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { Spec = edited });
        using var response = await fake.Http.PostJsonAsync("/v1/automation/run-async", body);

        var error = await response.AssertErrorAsync(400, "INVALID_INPUT", "goal");
        Assert.That(error.ToString(), Does.Contain("#/components/schemas/RunRequest/properties/goal/maxLength"), "the detail says which rule of the spec");
        await fake.Http.QueueAsync("""{"url":"https://example.com","goal":"Ten chars!"}""");
    }

    [Test]
    public async Task An_http_only_pattern_added_to_url_in_a_copy_of_the_spec_refuses_other_schemes()
    {
        const string urlRule = "        url:\n          type: string\n          format: uri\n";
        var edited = Edit(urlRule, urlRule + "          pattern: '^https?://'\n");
        const string body = """{"url":"javascript:alert(1)","goal":"x"}""";

        await using (var stock = FakeTinyFish.Create()) await stock.Http.QueueAsync(body); // the spec today: any absolute URI
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { Spec = edited });
        using var response = await fake.Http.PostJsonAsync("/v1/automation/run-batch", $$"""{"runs":[{"url":"https://example.com","goal":"x"},{{body}}]}""");
        var error = await response.AssertErrorAsync(400, "INVALID_INPUT", "runs[1].url");
        Assert.That(error.ToString(), Does.Contain("must match ^https?://"));
    }

    [Test]
    public async Task A_property_added_to_the_spec_is_known_to_the_strict_fake()
    {
        var edited = Edit(GoalRule, "        priority:\n          type: integer\n          minimum: 1\n          maximum: 5\n          description: How urgent.\n" + GoalRule);
        const string body = """{"url":"https://example.com","goal":"x","priority":3}""";

        await using (var stock = FakeTinyFish.Create())
        {
            using var unknown = await stock.Http.PostJsonAsync("/v1/automation/run-async", body);
            await unknown.AssertErrorAsync(400, "INVALID_INPUT", "priority");
        }
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { Spec = edited });
        await fake.Http.QueueAsync(body);
        using var outOfRange = await fake.Http.PostJsonAsync("/v1/automation/run-async", """{"url":"https://example.com","goal":"x","priority":9}""");
        await outOfRange.AssertErrorAsync(400, "INVALID_INPUT", "priority");
    }

    [Test]
    public async Task A_query_limit_changed_in_a_copy_of_the_spec_is_enforced()
    {
        const string limitRule = "            type: integer\n            minimum: 1\n            maximum: 100\n            default: 20\n";
        var edited = Edit(limitRule, limitRule.Replace("maximum: 100", "maximum: 10", StringComparison.Ordinal));

        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { Spec = edited });
        using (var ok = await fake.Http.GetAsync("/v1/runs?limit=10")) Assert.That((int)ok.StatusCode, Is.EqualTo(200));
        using var refused = await fake.Http.GetAsync("/v1/runs?limit=11");
        var error = await refused.AssertErrorAsync(400, "INVALID_INPUT", "limit");
        Assert.That(error.ToString(), Does.Contain("maximum"));
    }

    /// <summary>The embedded spec with <paramref name="find"/> (which must occur once) replaced.</summary>
    private static OpenApiSpec Edit(string find, string replacement)
    {
        using var stream = typeof(FakeTinyFish).Assembly.GetManifestResourceStream(OpenApiSpec.ResourceName)!;
        var yaml = new StreamReader(stream).ReadToEnd();
        var at = yaml.IndexOf(find, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0).And.EqualTo(yaml.LastIndexOf(find, StringComparison.Ordinal)), $"the spec holds this once:\n{find}");
        return OpenApiSpec.Parse(string.Concat(yaml.AsSpan(0, at), replacement, yaml.AsSpan(at + find.Length)));
    }
}
