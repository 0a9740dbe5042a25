using TinyFish.Runs.Specification;

namespace Contract.Tests;

/// <summary>The specification against the server the environment names, or the in-process fake.</summary>
[TestFixture]
public sealed class TinyFishContract() : RunsApiSpecification(SpecificationServer.FromEnvironment());
