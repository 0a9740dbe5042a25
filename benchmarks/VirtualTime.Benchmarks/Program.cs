using BenchmarkDotNet.Running;
using VirtualTime.Benchmarks;

// `--determinism N`: the repetition check; anything else goes to BenchmarkDotNet.
if (args is ["--determinism", var count]) return await Determinism.RunAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
BenchmarkSwitcher.FromAssembly(typeof(VirtualTimeBenchmarks).Assembly).Run(args);
return 0;
