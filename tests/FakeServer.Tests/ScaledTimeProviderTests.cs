using Microsoft.Extensions.Time.Testing;
using TinyFish.FakeServer.Time;

namespace FakeServer.Tests;

public sealed class ScaledTimeProviderTests
{
    [Test]
    public void The_scaled_clock_runs_scale_times_faster_from_its_start()
    {
        var inner = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var scaled = new ScaledTimeProvider(10, start, inner);
        inner.Advance(TimeSpan.FromSeconds(3));
        Assert.That(scaled.GetUtcNow(), Is.EqualTo(start + TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Timers_fire_after_the_scaled_down_delay()
    {
        var inner = new FakeTimeProvider();
        var scaled = new ScaledTimeProvider(10, inner: inner);
        var fired = 0;
        using var timer = scaled.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        inner.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(fired, Is.Zero);
        inner.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(fired, Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void The_scale_must_be_positive_and_finite(double scale) =>
        Assert.That(() => new ScaledTimeProvider(scale), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
