using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

public class TinyFishClientBlockingRunTests
{
    private static RunRequest Request(string goal) => new() { Url = new Uri("https://example.com"), Goal = goal };

    [Test]
    public async Task A_failed_blocking_run_answered_as_HTTP_500_with_a_run_body_is_an_InfrastructureFailed_outcome()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { SyncFailureAsHttp500 = true });
        using var client = fake.CreateClient();
        fake.Runs.WhenGoalContains("crash").FailsWith(FailureCategory.SystemFailure, "Browser crashed", TimeSpan.FromSeconds(20));

        var call = client.RunAsync(Request("crash"));
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var outcome = await call.Within();

        var failed = outcome as RunOutcome.InfrastructureFailed;
        Assert.That(failed, Is.Not.Null, outcome.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(failed!.Message, Is.EqualTo("Browser crashed"));
            Assert.That(failed.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(fake.Journal.Find("POST", "/v1/automation/run"), Has.Count.EqualTo(1), "a blocking run is never retried after a 5xx");
        });
    }

    [Test]
    public async Task A_500_without_a_run_body_still_throws()
    {
        await using var fake = new FakeTinyFish();
        using var client = fake.CreateClient();
        fake.Faults.NextRequest().To("POST", "/v1/automation/run").FailWithInternalError();

        var error = Assert.ThrowsAsync<ApiServerException>(() => client.RunAsync(Request("anything")));
        Assert.That(error!.Code, Is.EqualTo("INTERNAL_ERROR"));
    }

    [Test]
    public async Task A_successful_blocking_run_is_Succeeded()
    {
        await using var fake = new FakeTinyFish();
        using var client = fake.CreateClient();
        fake.Runs.WhenGoalContains("title").WithResult("""{"title":"Example Domain"}""");

        var call = client.RunAsync(Request("Read the title"));
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));

        var outcome = (RunOutcome.Succeeded)await call.Within();
        Assert.That(outcome.Result!.Value.GetProperty("title").GetString(), Is.EqualTo("Example Domain"));
    }
}
