using System.Net;
using Polly;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>The per-call and per-attempt Polly slots of <see cref="ApiClientOptions"/>, around the pipeline's retries.</summary>
public sealed class ApiPipelineResilienceTests
{
    [Test]
    public async Task A_per_call_strategy_sees_the_call_once_and_a_per_attempt_strategy_every_attempt()
    {
        var perCall = 0;
        var perAttempt = 0;
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.ServiceUnavailable, "{}")
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, new VirtualClock(), o =>
        {
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.PerCallResilience = builder => builder.AddStrategy(_ => new Counting(() => perCall++), new CountingOptions());
            o.PerAttemptResilience = builder => builder.AddStrategy(_ => new Counting(() => perAttempt++), new CountingOptions());
        });

        await pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within();

        Assert.That(handler.Count, Is.EqualTo(2));
        Assert.That(perCall, Is.EqualTo(1));
        Assert.That(perAttempt, Is.EqualTo(2));
    }

    [Test]
    public async Task A_per_attempt_fallback_answers_for_a_failed_attempt_before_the_retry_rule_sees_it()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.ServiceUnavailable, "{}");
        using var pipeline = Create(handler, new VirtualClock(), o =>
        {
            o.Retry.MaxRetries = 0;
            o.PerAttemptResilience = builder => builder.AddFallback(new Polly.Fallback.FallbackStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result?.StatusCode == HttpStatusCode.ServiceUnavailable),
                FallbackAction = _ => Outcome.FromResultAsValueTask(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"id":"cached"}""", System.Text.Encoding.UTF8, "application/json"),
                }),
            });
        });

        var item = await pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within();

        Assert.That(item.Id, Is.EqualTo("cached"));
    }

    private sealed class CountingOptions : ResilienceStrategyOptions;

    private sealed class Counting(Action count) : ResilienceStrategy
    {
        protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
        {
            count();
            return callback(context, state);
        }
    }
}
