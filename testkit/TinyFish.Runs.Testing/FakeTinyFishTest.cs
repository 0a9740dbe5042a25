using NUnit.Framework;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs.Testing;

/// <summary>
/// An NUnit base class that gives every test (or, with <see cref="FakeLifetime.PerFixture"/>, every
/// fixture) a fresh <see cref="Fake"/> and a <see cref="Client"/> connected to it, on the fake's clock.
/// </summary>
/// <example>
/// <code>
/// public class CheckoutTests : FakeTinyFishTest
/// {
///     [Test]
///     public async Task Reports_a_failed_goal()
///     {
///         Fake.Runs.WhenGoalContains("checkout").FailsGoal("No checkout button");
///         var queued = await Client.Automation.QueueRunAsync(new RunRequest { Url = new("https://shop.example"), Goal = "Find the checkout" });
///         await Fake.AdvanceAsync(TimeSpan.FromSeconds(30));
///         var outcome = RunOutcome.From(await Client.Runs.GetRunAsync(queued.RunId!));
///         Assert.That(outcome, Is.TypeOf&lt;RunOutcome.GoalFailed&gt;());
///     }
/// }
/// </code>
/// </example>
public abstract class FakeTinyFishTest
{
    private readonly FakeLifetime _lifetime;
    private FakeTinyFish? _fake;
    private TinyFishClient? _client;

    /// <summary>Sets how long each fake lives.</summary>
    /// <param name="lifetime">A fresh fake per test (the default), or one shared by the fixture's tests.</param>
    protected FakeTinyFishTest(FakeLifetime lifetime = FakeLifetime.PerTest) => _lifetime = lifetime;

    /// <summary>This test's fake runs API.</summary>
    protected FakeTinyFish Fake
    {
        get
        {
            var fake = _fake ?? throw new InvalidOperationException("The fake exists only while a test runs (after SetUp).");
            // The test's flow is one the fake's clock follows from here on (see VirtualClock).
            fake.Clock.Follow();
            return fake;
        }
    }

    /// <summary>A client connected to <see cref="Fake"/>, waiting on the fake's clock.</summary>
    protected TinyFishClient Client
    {
        get
        {
            var client = _client ?? throw new InvalidOperationException("The client exists only while a test runs (after SetUp).");
            _fake!.Clock.Follow();
            return client;
        }
    }

    /// <summary>The options of each test's fake; override to change them (e.g. <c>new() { AutoAdvance = true }</c>).</summary>
    protected virtual FakeTinyFishOptions CreateFakeOptions() => new();

    /// <summary>
    /// Changes the options of each test's client before it is built (timeouts, retries, logging);
    /// override to change them. The base address, key and clock are the fake's.
    /// </summary>
    protected virtual void ConfigureClient(ApiClientOptions options)
    {
    }

    /// <summary>Creates the fixture's fake and client, when they are shared.</summary>
    [OneTimeSetUp]
    public void StartFakeTinyFishForFixture()
    {
        if (_lifetime == FakeLifetime.PerFixture) Start();
    }

    /// <summary>Creates this test's fake and client, unless the fixture shares one.</summary>
    [SetUp]
    public void StartFakeTinyFish()
    {
        if (_lifetime == FakeLifetime.PerTest) Start();
    }

    /// <summary>Disposes this test's client and fake, unless the fixture shares one.</summary>
    [TearDown]
    public Task StopFakeTinyFish() => _lifetime == FakeLifetime.PerTest ? StopAsync() : Task.CompletedTask;

    /// <summary>Disposes the fixture's shared client and fake.</summary>
    [OneTimeTearDown]
    public Task StopFakeTinyFishForFixture() => _lifetime == FakeLifetime.PerFixture ? StopAsync() : Task.CompletedTask;

    private void Start()
    {
        // Inside a copy of the execution context, so the set-up does not leave the runner's thread
        // marked as code the clock follows (that thread then blocks on the test's task).
        ExecutionContext.Run(ExecutionContext.Capture()!, static self =>
        {
            var test = (FakeTinyFishTest)self!;
            test._fake = new FakeTinyFish(test.CreateFakeOptions());
            test._client = test._fake.CreateClient(test.ConfigureClient);
        }, this);
    }

    private async Task StopAsync()
    {
        _client?.Dispose();
        _client = null;
        if (_fake is not null) await _fake.DisposeAsync().ConfigureAwait(false);
        _fake = null;
    }
}

/// <summary>How long the fake of a <see cref="FakeTinyFishTest"/> lives.</summary>
public enum FakeLifetime
{
    /// <summary>A fresh fake and client for every test: no test sees another's runs.</summary>
    PerTest,

    /// <summary>One fake and client for all tests of the fixture: cheaper, but runs and the clock carry over.</summary>
    PerFixture,
}
