using TinyFish.FakeServer.Runs;

namespace FakeServer.Tests;

public sealed class OrderedRunIndexTests
{
    private static RunKey Key(long ticks, string id) => new(ticks, id);

    [Test]
    public void Ranges_and_ranks_match_a_sorted_list_through_inserts_and_removes()
    {
        var random = new Random(7);
        var index = new OrderedRunIndex();
        var reference = new SortedSet<RunKey>();
        for (var step = 0; step < 5_000; step++)
        {
            var key = Key(random.Next(200), "run_" + random.Next(50));
            if (random.Next(3) == 0)
            {
                Assert.That(index.Remove(key), Is.EqualTo(reference.Remove(key)));
            }
            else if (reference.Add(key))
            {
                index.Add(key);
            }
        }
        var sorted = reference.ToList();
        Assert.That(index.Count, Is.EqualTo(sorted.Count));
        Assert.That(index.Range(0, sorted.Count, descending: false), Is.EqualTo(sorted));
        Assert.That(index.Range(0, sorted.Count, descending: true), Is.EqualTo(Enumerable.Reverse(sorted)));
        Assert.That(index.Range(10, 25, descending: false), Is.EqualTo(sorted.Skip(10).Take(15)));
        Assert.That(index.Range(10, 25, descending: true), Is.EqualTo(sorted.Skip(10).Take(15).Reverse()));
        for (var probe = 0; probe < 200; probe++)
        {
            var key = Key(random.Next(210), "run_" + random.Next(55));
            Assert.That(index.CountBelow(key, inclusive: false), Is.EqualTo(sorted.Count(k => k.CompareTo(key) < 0)));
            Assert.That(index.CountBelow(key, inclusive: true), Is.EqualTo(sorted.Count(k => k.CompareTo(key) <= 0)));
        }
    }

    [Test]
    public void Ties_on_the_instant_are_ordered_by_run_id_ordinally()
    {
        var index = new OrderedRunIndex();
        index.Add(Key(5, "run_b"));
        index.Add(Key(5, "run_B"));
        index.Add(Key(5, "run_a"));
        Assert.That(index.Range(0, 3, descending: false).Select(k => k.RunId), Is.EqualTo(new[] { "run_B", "run_a", "run_b" }));
        Assert.That(index.CountBelow(RunKey.FirstAt(5), inclusive: false), Is.Zero);
    }

    [Test]
    public void A_page_costs_log_n_plus_page_not_n()
    {
        long Cost(int n)
        {
            var index = new OrderedRunIndex();
            for (var i = 0; i < n; i++) index.Add(Key(i * 10L, $"run_{i:D8}"));
            var before = index.NodesVisited;
            // A page of 20 from the middle: two rank lookups for the bounds, a seek, the walk.
            var from = index.CountBelow(Key(n * 5L, ""), inclusive: false);
            var to = index.CountBelow(Key(n * 8L, ""), inclusive: false);
            _ = index.Range(from, Math.Min(to, from + 20), descending: false).ToList();
            return index.NodesVisited - before;
        }
        var small = Cost(1_000);
        var large = Cost(100_000);
        TestContext.Out.WriteLine($"nodes visited for one page: 1,000 runs → {small}; 100,000 runs → {large}");
        Assert.That(large, Is.LessThan(small * 3), "100× the runs must cost far less than 100× the work (log n)");
        Assert.That(large, Is.LessThan(500));
    }
}
