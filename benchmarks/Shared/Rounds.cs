using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

/// <summary>
/// The benchmarks' one command line: <c>[--short] [--rounds N] [BenchmarkDotNet options]</c>. The
/// whole selection runs N times in turn (round 1 of every variant, then round 2, ...), so drift on a
/// shared machine falls on every variant alike; the summary gives per variant the median over rounds
/// of its median time, the spread (lowest–highest round), the ratio to its category's baseline
/// computed within each round, allocation and Gen2 collections per 1,000 operations.
/// </summary>
/// <remarks>
/// In process: these projects reference the generator, the runtime and the fake, and BenchmarkDotNet's
/// own rebuild of them per run costs minutes on a shared machine for no better numbers here.
/// </remarks>
public static class Rounds
{
    public static void Run(Type anchor, string[] args)
    {
        var quick = args.Contains("--short");
        var rounds = 1;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--short") continue;
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else rest.Add(args[i]);
        }
        // --short: 3 warm-ups and 5 iterations a variant; otherwise 5 and 15.
        var job = (quick ? Job.ShortRun.WithIterationCount(5) : Job.Default.WithWarmupCount(5).WithIterationCount(15).WithLaunchCount(1))
            .WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance.AddJob(job.AsDefault());
        var results = new List<Summary[]>();
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"// ===== Round {round} of {rounds} =====");
            results.Add(BenchmarkSwitcher.FromAssembly(anchor.Assembly).Run([.. rest], config).ToArray());
        }
        var table = Summarize(results);
        Console.WriteLine();
        Console.WriteLine(table);
        var artifacts = rest.IndexOf("--artifacts") is var at and >= 0 && at + 1 < rest.Count ? rest[at + 1] : "BenchmarkDotNet.Artifacts";
        var folder = Path.Combine(artifacts, "results");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{anchor.Assembly.GetName().Name}-rounds.md");
        File.WriteAllText(file, table);
        Console.WriteLine($"// Summary of {rounds} round(s) written to {Path.GetFullPath(file)}");
    }

    private sealed record Row(string Type, string Name, string Params, string Group, bool Baseline, double MedianNs, long? Bytes, double? Gen2PerThousand);

    private static string Summarize(List<Summary[]> rounds)
    {
        var perRound = rounds.Select(summaries => summaries.SelectMany(static summary => summary.Reports).Where(static report => report.ResultStatistics is not null).Select(static report =>
        {
            var benchmark = report.BenchmarkCase;
            var category = string.Join(",", benchmark.Descriptor.Categories);
            var parameters = benchmark.Parameters.DisplayInfo;
            var gc = report.GcStats;
            double? gen2 = gc.TotalOperations > 0 ? gc.Gen2Collections * 1000.0 / gc.TotalOperations : null;
            return new Row(benchmark.Descriptor.Type.Name, benchmark.Descriptor.WorkloadMethodDisplayInfo.Trim('\''), parameters,
                $"{benchmark.Descriptor.Type.Name}|{category}|{parameters}", benchmark.Descriptor.Baseline, report.ResultStatistics!.Median, gc.GetBytesAllocatedPerOperation(benchmark), gen2);
        }).ToList()).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{rounds.Count} round(s); time = median over rounds of each round's median (lowest–highest round); ratio to the category's baseline, computed per round.");
        text.AppendLine();
        text.AppendLine("| class | benchmark | params | time | ratio | allocated | Gen2 / 1,000 ops |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var key in perRound.SelectMany(static round => round).Select(static row => (row.Type, row.Name, row.Params, row.Group)).Distinct())
        {
            var samples = perRound.Select(round => (Row: round.FirstOrDefault(row => (row.Type, row.Name, row.Params, row.Group) == key), Baseline: round.FirstOrDefault(row => row.Group == key.Group && row.Baseline)))
                .Where(static pair => pair.Row is not null).ToList();
            var times = samples.Select(static pair => pair.Row!.MedianNs).ToList();
            var ratios = samples.Where(static pair => pair.Baseline is not null).Select(static pair => pair.Row!.MedianNs / pair.Baseline!.MedianNs).ToList();
            var last = samples[^1].Row!;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {key.Type} | {key.Name} | {key.Params} | {Time(Median(times))} ({Time(times.Min())}–{Time(times.Max())}) | {(ratios.Count == 0 ? "" : $"{Median(ratios):0.00}× ({ratios.Min():0.00}–{ratios.Max():0.00})")} | {Bytes(last.Bytes)} | {(last.Gen2PerThousand is { } g ? g.ToString("0.0", CultureInfo.InvariantCulture) : "")} |");
        }
        return text.ToString();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Time(double ns) => ns switch
    {
        >= 1e9 => (ns / 1e9).ToString("0.00 s", CultureInfo.InvariantCulture),
        >= 1e6 => (ns / 1e6).ToString("0.0 ms", CultureInfo.InvariantCulture),
        >= 1e3 => (ns / 1e3).ToString("0.0 µs", CultureInfo.InvariantCulture),
        _ => ns.ToString("0 ns", CultureInfo.InvariantCulture),
    };

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "",
        >= 1024 * 1024 => (bytes.Value / 1024.0 / 1024).ToString("0.0 MB", CultureInfo.InvariantCulture),
        >= 1024 => (bytes.Value / 1024.0).ToString("0.0 KB", CultureInfo.InvariantCulture),
        _ => bytes.Value.ToString("0 B", CultureInfo.InvariantCulture),
    };
}
