using NUnit.Framework;
using TinyFish.FakeServer;

namespace TinyFish.Runs.Testing;

/// <summary>
/// An NUnit base class that gives every test a fresh <see cref="Fake"/> and a <see cref="Client"/>
/// connected to it, on the fake's clock.
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
    private FakeTinyFish? _fake;
    private TinyFishClient? _client;

    /// <summary>This test's fake runs API.</summary>
    protected FakeTinyFish Fake => _fake ?? throw new InvalidOperationException("The fake exists only while a test runs (after SetUp).");

    /// <summary>A client connected to <see cref="Fake"/>.</summary>
    protected TinyFishClient Client => _client ?? throw new InvalidOperationException("The client exists only while a test runs (after SetUp).");

    /// <summary>The options of each test's fake; override to change them.</summary>
    protected virtual FakeTinyFishOptions CreateFakeOptions() => new();

    /// <summary>Creates this test's fake and client.</summary>
    [SetUp]
    public void StartFakeTinyFish()
    {
        _fake = new FakeTinyFish(CreateFakeOptions());
        _client = _fake.CreateClient();
    }

    /// <summary>Disposes this test's client and fake.</summary>
    [TearDown]
    public async Task StopFakeTinyFish()
    {
        _client?.Dispose();
        _client = null;
        if (_fake is not null) await _fake.DisposeAsync().ConfigureAwait(false);
        _fake = null;
    }
}
