using BenchmarkDotNet.Running;
using VirtualTime.Benchmarks;

// `--determinism N`: the repetition check; anything else goes to BenchmarkDotNet.
if (args is ["--determinism", var count]) return await Determinism.RunAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
if (args is ["--quick"])
{
    // A first look in seconds (Stopwatch medians of 15); the figures to quote come from BenchmarkDotNet.
    var benchmarks = new VirtualTimeBenchmarks();
    foreach (var (name, run) in new (string, Func<Task>)[]
    {
        ("fake + client created and disposed", benchmarks.Create_and_dispose_a_fake_and_client),
        ("ten-minute run, one advance", benchmarks.Wait_for_a_ten_minute_run_with_one_advance),
        ("1,000 runs of 30 s, self-moving", benchmarks.Queue_and_await_a_thousand_thirty_second_runs),
    })
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"{name}: median {times[7]:0.0} ms (min {times[0]:0.0}, max {times[^1]:0.0})");
    }
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(VirtualTimeBenchmarks).Assembly).Run(args);
return 0;
