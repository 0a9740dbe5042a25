using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// --short: a few minutes for everything (3 warm-ups, 5 iterations); otherwise 15 iterations.
// In process: this project references the generator and the fake, and BenchmarkDotNet's own
// rebuild of it per run costs minutes on a shared machine for no better numbers here.
var quick = args.Contains("--short");
var job = (quick ? Job.ShortRun.WithIterationCount(5) : Job.Default.WithWarmupCount(5).WithIterationCount(15).WithLaunchCount(1))
    .WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance.AddJob(job.AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(ClientBenchmarks).Assembly).Run(args.Where(a => a != "--short").ToArray(), config);
