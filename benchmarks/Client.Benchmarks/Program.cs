// One command for every benchmark here: see Rounds (benchmarks/Shared) and docs/benchmarks.md.
Rounds.Run(typeof(ClientBenchmarks), args);
