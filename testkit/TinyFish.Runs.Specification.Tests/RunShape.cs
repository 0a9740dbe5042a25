using System.Text.Json;
using TinyFish.Runs;

namespace TinyFish.Runs.Specification;

/// <summary>What the spec says must hold for a run in each status, checked on every run a test reads.</summary>
internal static class RunShape
{
    /// <summary>Where a status sits in the lifecycle: PENDING, then RUNNING, then a terminal status.</summary>
    public static int Stage(RunStatus status) =>
        status == RunStatus.Pending ? 0 : status == RunStatus.Running ? 1 : TinyFishClient.IsTerminal(status) ? 2 : -1;

    /// <summary>Asserts the keys that depend on the status: timestamps, steps, result and error.</summary>
    public static void AssertConsistent(Run run)
    {
        var what = $"run {run.RunId} ({run.Status.Value})";
        Assert.Multiple(() =>
        {
            Assert.That(run.RunId, Does.Match("^[A-Za-z0-9_-]+$"), $"{what}: run_id matches the path pattern");
            Assert.That(Stage(run.Status), Is.GreaterThanOrEqualTo(0), $"{what}: status is one of the five");
            if (run.Status == RunStatus.Pending)
            {
                Assert.That(run.StartedAt, Is.Null, $"{what}: started_at is null while PENDING");
            }
            else if (run.Status == RunStatus.Running)
            {
                Assert.That(run.StartedAt, Is.Not.Null, $"{what}: started_at is set once RUNNING");
            }
            if (!TinyFishClient.IsTerminal(run.Status))
            {
                Assert.That(run.FinishedAt, Is.Null, $"{what}: finished_at is null before a terminal status");
                Assert.That(run.NumOfSteps, Is.Null, $"{what}: num_of_steps is null while in progress");
            }
            else
            {
                Assert.That(run.FinishedAt, Is.Not.Null, $"{what}: finished_at is set in a terminal status");
                Assert.That(run.FinishedAt, Is.GreaterThanOrEqualTo(run.StartedAt ?? run.CreatedAt), $"{what}: finishes after it starts");
            }
            if (run.StartedAt is { } started)
            {
                Assert.That(started, Is.GreaterThanOrEqualTo(run.CreatedAt), $"{what}: starts after it is created");
            }
            if (run.Status == RunStatus.Completed)
            {
                Assert.That(run.Error, Is.Null, $"{what}: a COMPLETED run has no error");
            }
            if (run.Status == RunStatus.Failed)
            {
                Assert.That(run.Error, Is.Not.Null, $"{what}: a FAILED run says why in error");
                Assert.That(run.Error?.Message, Is.Not.Null.And.Not.Empty, $"{what}: error.message");
                Assert.That(run.Error?.Category.IsKnown, Is.True, $"{what}: error.category is one of the four");
            }
            AssertResultIsObjectOrNull(run.Result, what);
            if (run.NumOfSteps is { } steps) Assert.That(steps, Is.GreaterThanOrEqualTo(0), $"{what}: num_of_steps");
            if (run.StreamingUrl is { } url) Assert.That(url.IsAbsoluteUri, Is.True, $"{what}: streaming_url is an absolute URL");
        });
    }

    /// <summary>The spec: result is a JSON object or null, never an array or a string.</summary>
    public static void AssertResultIsObjectOrNull(JsonElement? result, string what)
    {
        if (result is { } value)
        {
            Assert.That(value.ValueKind, Is.EqualTo(JsonValueKind.Object), $"{what}: result is an object or null");
        }
    }
}
