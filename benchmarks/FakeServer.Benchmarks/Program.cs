using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ListRunsBenchmarks).Assembly).Run(args);
