using Integration.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

/// <summary>The runs layer (waiting, streaming, batches) and the runtime's behaviour against the fake, on its clock.</summary>
public class TinyFishClientTests
{
    private FakeTinyFish _fake = null!;
    private TinyFishClient _client = null!;

    [SetUp]
    public void Start()
    {
        _fake = new FakeTinyFish();
        _client = _fake.CreateClient();
    }

    [TearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    private static RunRequest Request(string goal = "Find the price") => new() { Url = new Uri("https://shop.example"), Goal = goal };

    private async Task<string> QueueAsync(string goal = "Find the price") => (await _client.Automation.QueueRunAsync(Request(goal))).RunId!;

    private Task AdvanceWhenWaitingAsync(double seconds) => _fake.AdvanceAsync(TimeSpan.FromSeconds(seconds));

    private int Polls(string id) => _fake.Journal.Find("GET", "/v1/runs/" + id).Count;

    [Test]
    public async Task WaitForCompletion_polls_on_the_documented_schedule_until_the_run_finishes()
    {
        var id = await QueueAsync();

        var wait = _client.WaitForCompletionAsync(id);
        await AdvanceWhenWaitingAsync(2);     // t=2    RUNNING
        await AdvanceWhenWaitingAsync(3);     // t=5    RUNNING
        await AdvanceWhenWaitingAsync(4.5);   // t=9.5  RUNNING
        await AdvanceWhenWaitingAsync(6.75);  // t=16.25 COMPLETED
        var run = await wait.Within();

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(Polls(id), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task WaitForCompletion_times_out_cleanly_with_the_last_status()
    {
        _fake.Runs.WhenGoalContains("forever").NeverFinishes();
        var id = await QueueAsync("forever");

        var wait = _client.WaitForCompletionAsync(id, new RunWaitOptions { Timeout = TimeSpan.FromSeconds(10) });
        await AdvanceWhenWaitingAsync(2);
        await AdvanceWhenWaitingAsync(3);
        await AdvanceWhenWaitingAsync(4.5);
        await AdvanceWhenWaitingAsync(0.5);   // only what is left of the 10 s

        var error = Assert.ThrowsAsync<RunWaitTimeoutException>(() => wait.Within());
        Assert.Multiple(() =>
        {
            Assert.That(error!.RunId, Is.EqualTo(id));
            Assert.That(error.LastStatus, Is.EqualTo(RunStatus.Running));
            Assert.That(error.Waited, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(Polls(id), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task WaitForCompletion_stops_when_cancelled_during_a_delay()
    {
        var id = await QueueAsync();
        using var cancel = new CancellationTokenSource();

        var wait = _client.WaitForCompletionAsync(id, cancellationToken: cancel.Token);
        await _fake.WhenIdleAsync();
        Assert.That(_fake.Clock.PendingTimers, Does.Contain(_fake.Clock.GetUtcNow() + TimeSpan.FromSeconds(2)), "the first poll delay is running");
        await cancel.CancelAsync();

        Assert.That(async () => await wait.Within(), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task RunAndStream_reads_the_stream_to_COMPLETE()
    {
        var reading = CollectAsync(_client.RunAndStreamAsync(Request()));
        await _fake.AdvanceAsync(TimeSpan.FromSeconds(12));
        var events = await reading.Within();

        Assert.Multiple(() =>
        {
            Assert.That(events[0], Is.TypeOf<StartedEvent>());
            Assert.That(events.OfType<ProgressEvent>().Count(), Is.EqualTo(new FakeTinyFishOptions().DefaultProgressEvents));
            Assert.That(events[^1], Is.TypeOf<CompleteEvent>());
            Assert.That(((CompleteEvent)events[^1]).Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(RunOutcome.From((CompleteEvent)events[^1]), Is.TypeOf<RunOutcome.Succeeded>());
        });
    }

    [Test]
    public async Task RunAndStream_recovers_a_dropped_stream_by_polling_until_the_run_finishes()
    {
        var options = new ApiClientOptions { BaseAddress = _fake.BaseAddress, ApiKey = _fake.ApiKey, TimeProvider = _fake.Clock };
        using var client = new TinyFishClient(options, new HttpClient(new StreamBreakingHandler(_fake.CreateHandler(), framesBeforeDrop: 1)));

        var reading = CollectAsync(client.RunAndStreamAsync(Request()));
        await AdvanceWhenWaitingAsync(2);
        await AdvanceWhenWaitingAsync(3);
        await AdvanceWhenWaitingAsync(4.5);
        await AdvanceWhenWaitingAsync(6.75);
        var events = await reading.Within();

        var runId = ((StartedEvent)events[0]).RunId;
        Assert.Multiple(() =>
        {
            Assert.That(events, Has.Count.EqualTo(2), "the STARTED frame, then the COMPLETE built from polling");
            Assert.That(((CompleteEvent)events[1]).Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(((CompleteEvent)events[1]).RunId, Is.EqualTo(runId));
            Assert.That(Polls(runId), Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task RunAndStream_follows_a_stream_that_goes_silent_by_polling_after_the_idle_timeout()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { HeartbeatInterval = TimeSpan.Zero });
        fake.Runs.WhenGoalContains("quiet").EmitsProgress(0).CompletesAfter(TimeSpan.FromSeconds(45));
        using var client = fake.CreateClient();
        var options = new RunStreamOptions { IdleTimeout = TimeSpan.FromSeconds(30) };

        var events = client.RunAndStreamAsync(Request("quiet"), options).GetAsyncEnumerator();
        Assert.That(await events.MoveNextAsync().AsTask().Within(), Is.True);
        var streamingUrl = events.MoveNextAsync().AsTask();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(1));          // t=1: RUNNING, STREAMING_URL
        Assert.That(await streamingUrl.Within(), Is.True);
        var last = events.MoveNextAsync().AsTask();                // the silence timer restarts here: due t=31
        await fake.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.That(last.IsCompleted, Is.False, "29 s of silence is within the idle timeout");
        await fake.AdvanceAsync(TimeSpan.FromSeconds(1));          // t=31: silent too long → poll (RUNNING)
        await fake.AdvanceAsync(TimeSpan.FromSeconds(16.25));      // polls at t=33, 36, 40.5 and 47.25: COMPLETED
        Assert.That(await last.Within(), Is.True);

        var complete = (CompleteEvent)events.Current;
        Assert.Multiple(async () =>
        {
            Assert.That(complete.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(complete.Timestamp, Is.EqualTo(fake.Clock.GetUtcNow()), "built from the poll that saw the run finish");
            Assert.That(fake.Journal.Find("GET", "/v1/runs/" + complete.RunId), Has.Count.EqualTo(5));
            Assert.That(await events.MoveNextAsync(), Is.False);
        });
        await events.DisposeAsync();
    }

    [Test]
    public async Task RunAndStream_reports_a_stream_silent_before_it_named_the_run_as_interrupted()
    {
        _fake.Faults.NextRequest().To("POST", "/v1/automation/run-sse").AreDelayed(TimeSpan.FromMinutes(5));
        var options = new RunStreamOptions { IdleTimeout = TimeSpan.FromSeconds(30) };

        var reading = CollectAsync(_client.RunAndStreamAsync(Request(), options));   // the silence timer starts here
        await _fake.AdvanceAsync(TimeSpan.FromSeconds(30));

        var error = Assert.ThrowsAsync<ApiStreamInterruptedException>(() => reading.Within());
        Assert.Multiple(() =>
        {
            Assert.That(error!.EventsReceived, Is.Zero);
            Assert.That(error.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(error.Message, Does.Contain("RunStreamOptions.IdleTimeout"));
        });
    }

    [Test]
    public async Task RunAndStream_does_not_count_a_slow_consumer_as_a_silent_stream()
    {
        var options = new RunStreamOptions { IdleTimeout = TimeSpan.FromSeconds(3), IncludeHeartbeats = true };
        var events = _client.RunAndStreamAsync(Request(), options).GetAsyncEnumerator();
        Assert.That(await events.MoveNextAsync().AsTask().Within(), Is.True);   // STARTED; the consumer now dawdles
        await _fake.AdvanceAsync(TimeSpan.FromSeconds(12));                     // the whole run, while nobody reads

        var rest = new List<RunEvent>();
        while (await events.MoveNextAsync().AsTask().Within()) rest.Add(events.Current);
        await events.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(rest.OfType<ProgressEvent>().Count(), Is.EqualTo(new FakeTinyFishOptions().DefaultProgressEvents), "read from the stream, not rebuilt by polling");
            Assert.That(rest[^1], Is.TypeOf<CompleteEvent>());
            Assert.That(_fake.Journal.Find("GET", "/v1/runs/" + ((CompleteEvent)rest[^1]).RunId), Is.Empty, "no poll was needed");
        });
    }

    [Test]
    public void RunStreamOptions_refuse_a_zero_or_negative_idle_timeout()
    {
        Assert.Multiple(() =>
        {
            Assert.That(async () => await CollectAsync(_client.RunAndStreamAsync(Request(), new RunStreamOptions { IdleTimeout = TimeSpan.Zero })),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("IdleTimeout"));
            Assert.That(async () => await CollectAsync(_client.RunAndStreamAsync(Request(), new RunStreamOptions { Wait = new RunWaitOptions { BackoffFactor = 0.5 } })),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("BackoffFactor"));
            Assert.That(_fake.Journal.Entries, Is.Empty, "nothing was sent");
        });
    }

    [Test]
    public async Task A_429_is_retried_after_exactly_the_Retry_After_the_fake_sent()
    {
        _fake.Faults.NextRequest().To("GET", "/v1/runs").AreRateLimited(TimeSpan.FromSeconds(7));

        var list = _client.Runs.ListRunsAsync();
        await _fake.AdvanceAsync(TimeSpan.FromSeconds(7) - TimeSpan.FromTicks(1));
        var beforeDelay = _fake.Journal.Find("GET", "/v1/runs").Count;
        await _fake.AdvanceAsync(TimeSpan.FromTicks(1));
        var page = await list.Within();

        Assert.Multiple(() =>
        {
            Assert.That(beforeDelay, Is.EqualTo(1), "no retry before the server's delay");
            Assert.That(_fake.Journal.Find("GET", "/v1/runs").Count, Is.EqualTo(2));
            Assert.That(page.Data, Is.Empty);
        });
    }

    [Test]
    public void A_run_creation_is_not_retried_after_a_500_since_the_server_may_have_created_it()
    {
        _fake.Faults.NextRequest().To("POST", "/v1/automation/run-async").FailWithInternalError();

        var error = Assert.ThrowsAsync<ApiServerException>(() => _client.Automation.QueueRunAsync(Request()));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Code, Is.EqualTo("INTERNAL_ERROR"));
            Assert.That(_fake.Journal.Find("POST", "/v1/automation/run-async"), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Paging_walks_250_runs_in_pages_of_20_with_a_filter_and_no_duplicates()
    {
        var requests = Enumerable.Range(0, 250).Select(i => Request(i % 2 == 0 ? $"alpha {i}" : $"beta {i}"));
        var ids = await _client.QueueRunsAsync(requests);
        await _fake.AdvanceAsync(TimeSpan.FromMinutes(1));
        _fake.Journal.Clear();

        var alpha = new List<Run>();
        await foreach (var run in _client.Runs.ListRunsAllAsync(goal: "ALPHA", status: RunStatus.Completed, limit: 20)) alpha.Add(run);

        // One batch call creates its runs at one instant; the sort breaks that tie by run id.
        var expected = ids.Where((_, i) => i % 2 == 0);
        var seen = alpha.Select(r => r.RunId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(250));
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.EquivalentTo(expected));
            Assert.That(seen, Is.Ordered.Descending.Using((IComparer<string>)StringComparer.Ordinal));
            Assert.That(_fake.Journal.Find("GET", "/v1/runs"), Has.Count.EqualTo(7), "125 runs in pages of 20");
            Assert.That(_fake.Journal.Find("GET", "/v1/runs").Select(e => e.Query["limit"]), Is.All.EqualTo("20"));
        });
    }

    [Test]
    public async Task Paging_stops_when_cancelled_mid_way()
    {
        await _client.QueueRunsAsync(Enumerable.Range(0, 50).Select(i => Request($"run {i}")));
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        Assert.That(async () =>
        {
            await foreach (var _ in _client.Runs.ListRunsAllAsync(limit: 10, cancellationToken: cancel.Token))
            {
                if (++seen == 15) await cancel.CancelAsync();
            }
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_fake.Journal.Find("GET", "/v1/runs"), Has.Count.EqualTo(2));
    }

    [Test]
    public void Every_operation_honours_an_already_cancelled_token()
    {
        var token = new CancellationToken(canceled: true);
        var ids = new RunIdsRequest { RunIds = ["run_1"] };
        var calls = new Dictionary<string, AsyncTestDelegate>
        {
            ["runAutomation"] = () => _client.Automation.RunAutomationAsync(Request(), token),
            ["queueRun"] = () => _client.Automation.QueueRunAsync(Request(), token),
            ["streamRun"] = async () => { await foreach (var _ in _client.Automation.StreamRunAsync(Request(), token)) { } },
            ["queueRunBatch"] = () => _client.Automation.QueueRunBatchAsync(new BatchRunRequest { Runs = [Request()] }, token),
            ["listRuns"] = () => _client.Runs.ListRunsAsync(cancellationToken: token),
            ["getRun"] = () => _client.Runs.GetRunAsync("run_1", cancellationToken: token),
            ["cancelRun"] = () => _client.Runs.CancelRunAsync("run_1", token),
            ["getRunsBatch"] = () => _client.Runs.GetRunsBatchAsync(ids, token),
            ["cancelRunsBatch"] = () => _client.Runs.CancelRunsBatchAsync(ids, token),
            ["waitForCompletion"] = () => _client.WaitForCompletionAsync("run_1", cancellationToken: token),
            ["waitForAll"] = () => _client.WaitForAllAsync(["run_1"], cancellationToken: token),
            ["queueRuns"] = () => _client.QueueRunsAsync([Request()], token),
            ["runAndStream"] = async () => { await foreach (var _ in _client.RunAndStreamAsync(Request(), cancellationToken: token)) { } },
        };

        Assert.Multiple(() =>
        {
            foreach (var (name, call) in calls)
            {
                Assert.That(call, Throws.InstanceOf<OperationCanceledException>(), name);
            }
        });
        Assert.That(_fake.Journal.Count, Is.Zero, "nothing is sent once the token is cancelled");
    }

    [Test]
    public async Task WaitForAll_returns_every_run_finished_in_the_order_asked()
    {
        _fake.Runs.WhenGoalContains("slow").CompletesAfter(TimeSpan.FromSeconds(4));
        var ids = await _client.QueueRunsAsync([Request("fast"), Request("slow")]);

        var wait = _client.WaitForAllAsync(ids.Reverse());
        await AdvanceWhenWaitingAsync(2);
        await AdvanceWhenWaitingAsync(3);
        await AdvanceWhenWaitingAsync(4.5);
        await AdvanceWhenWaitingAsync(6.75);
        var runs = await wait.Within();

        Assert.That(runs.Select(r => r.RunId), Is.EqualTo(ids.Reverse()));
        Assert.That(runs.Select(r => r.Status), Is.All.EqualTo(RunStatus.Completed));
    }

    [Test]
    public async Task The_API_key_never_appears_in_a_log_line_or_an_exception()
    {
        const string secret = "sk-live-7f3a9c1e-never-print-me";
        var logs = new CapturingLoggerFactory();
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { ApiKey = secret });
        using var client = fake.CreateClient(o => o.LoggerFactory = logs);
        using var wrongKey = fake.CreateClient(o => { o.LoggerFactory = logs; o.ApiKey = secret + "-wrong"; });
        fake.Faults.NextRequest().To("GET", "/v1/runs").AreRateLimited(TimeSpan.Zero);

        var messages = new List<string>();
        await client.Runs.ListRunsAsync();
        var id = (await client.Automation.QueueRunAsync(Request())).RunId!;
        await client.Runs.GetRunAsync(id);
        foreach (var call in new Func<Task>[] { () => wrongKey.Runs.ListRunsAsync(), () => client.Runs.GetRunAsync("run_missing") })
        {
            try { await call(); }
            catch (Exception e) { messages.Add(e.ToString()); }
        }

        Assert.Multiple(() =>
        {
            Assert.That(logs.Lines, Is.Not.Empty, "the client logs its requests");
            Assert.That(messages, Has.Count.EqualTo(2));
            Assert.That(logs.Lines, Has.None.Contains(secret));
            Assert.That(messages, Has.None.Contains(secret));
            Assert.That(fake.Journal.Entries.SelectMany(e => e.Headers.Values), Has.None.Contains(secret));
        });
    }

    private static async Task<List<RunEvent>> CollectAsync(IAsyncEnumerable<RunEvent> events)
    {
        var list = new List<RunEvent>();
        await foreach (var e in events) list.Add(e);
        return list;
    }
}
