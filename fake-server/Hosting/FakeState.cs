using System.Security.Cryptography;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.Journal;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Scenarios;
using TinyFish.FakeServer.SelfChecking;
using TinyFish.FakeServer.Streaming;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// The parts of one fake (in-process or standalone), each made once from the options and the clock:
/// the composition root. <see cref="FakeApplication"/> hands each endpoint group and middleware only
/// the parts it uses; no handler reads this. The fake's owner (<see cref="FakeTinyFish"/>,
/// <see cref="StandaloneHost"/>) and this project's tests reach the parts through it.
/// </summary>
internal sealed class FakeState
{
    public FakeState(FakeTinyFishOptions options, TimeProvider time)
    {
        Options = options;
        Clock = new ClockCoordinator(time);
        Scenarios = new RunScenarios(options);
        Store = new RunStore(time, Scenarios.Plan, options.Seed);
        Cursors = new CursorCodec(options.CursorSecret ?? RandomNumberGenerator.GetBytes(32));
        LiveLinks = new LiveLinks(options.LiveViewSecret ?? RandomNumberGenerator.GetBytes(32));
        Faults = new FaultInjector(options.Seed);
        Journal = new RequestJournal(options.MaxJournalEntries, options.MaxJournalBytes);
        SelfCheck = new SelfCheckLog(options.SelfCheck);
        PublicUrl = new PublicUrl(options.PublicBaseUrl);
        RequestRules = options.Spec is { } spec ? new SpecRequestRules(new SpecSchemas(spec)) : SpecRequestRules.Embedded;
        Reader = new RequestReader(RequestRules, options.RejectUnknownFields);
        Mapper = new RunMapper(LiveLinks, PublicUrl, options.SendStreamingUrlAlias);
        Events = new RunEventStream(Store, Clock, Mapper, options.HeartbeatInterval);
    }

    /// <summary>What requests must be: the spec's rules (of the embedded spec unless a test gave another).</summary>
    public SpecRequestRules RequestRules { get; }

    /// <summary>Reads API requests by <see cref="RequestRules"/>.</summary>
    public RequestReader Reader { get; }

    public RunMapper Mapper { get; }

    public RunEventStream Events { get; }

    public PublicUrl PublicUrl { get; }

    public FakeTinyFishOptions Options { get; }

    public ClockCoordinator Clock { get; }

    public RunScenarios Scenarios { get; }

    public RunStore Store { get; }

    public CursorCodec Cursors { get; }

    public LiveLinks LiveLinks { get; }

    public FaultInjector Faults { get; }

    public RequestJournal Journal { get; }

    public SelfCheckLog SelfCheck { get; }

    /// <summary>Cancelled when the fake shuts down, so every waiting request and stream ends.</summary>
    public CancellationTokenSource Stopping { get; } = new();
}
