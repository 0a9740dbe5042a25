using System.Security.Cryptography;
using System.Text;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.Journal;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Scenarios;
using TinyFish.FakeServer.SelfChecking;
using TinyFish.FakeServer.Streaming;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Hosting;

/// <summary>Everything one fake holds, shared by its endpoints and middleware (in-process or standalone).</summary>
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
    }

    /// <summary>What requests must be: the spec's rules (of the embedded spec unless a test gave another).</summary>
    public SpecRequestRules RequestRules { get; }

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
