using TinyFish.Runs;
using TinyFish.Runs.Testing;

namespace Integration.Tests;

/// <summary>FakeTinyFishTest with one fake for the whole fixture: the second test sees the first one's run.</summary>
[TestFixture]
[Order(1)]
public class FakeTinyFishTestPerFixtureTests() : FakeTinyFishTest(FakeLifetime.PerFixture)
{
    private static string? _firstFake;

    [Test, Order(1)]
    public async Task The_first_test_creates_a_run()
    {
        _firstFake = Fake.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "shared" });
        Assert.That(Fake.RunCount, Is.EqualTo(1));
    }

    [Test, Order(2)]
    public void The_second_test_shares_the_fake()
    {
        Assert.That(Fake.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(_firstFake));
        Assert.That(Fake.RunCount, Is.EqualTo(1));
    }
}

/// <summary>FakeTinyFishTest's default: a fresh fake for every test.</summary>
public class FakeTinyFishTestPerTestTests : FakeTinyFishTest
{
    [Test, Repeat(2)]
    public async Task Every_test_starts_with_an_empty_fake()
    {
        Assert.That(Fake.RunCount, Is.Zero);
        await Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "own" });
        Assert.That(Fake.RunCount, Is.EqualTo(1));
    }
}
