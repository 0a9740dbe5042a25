using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Runtime.Tests.Support;

/// <summary>One request as the handler saw it; the body is copied because the message is disposed after sending.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);

/// <summary>
/// An in-memory transport that answers each request with the next scripted step, records what it was sent,
/// and lets a test wait (on the real clock only as a hang guard) until the n-th request has arrived.
/// </summary>
public sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _steps = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<TaskCompletionSource> _arrivals = [];
    private readonly object _gate = new();

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_gate) return [.. _requests]; } }

    public int Count { get { lock (_gate) return _requests.Count; } }

    public ScriptedHandler Then(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> step)
    {
        _steps.Enqueue(step);
        return this;
    }

    public ScriptedHandler Then(Func<HttpResponseMessage> respond) => Then((_, _) => Task.FromResult(respond()));

    public ScriptedHandler ThenJson(HttpStatusCode status, string json, Action<HttpResponseMessage>? configure = null) =>
        Then(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            configure?.Invoke(response);
            return response;
        });

    public ScriptedHandler ThenThrow(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>A server that never answers: the attempt ends only by cancellation.</summary>
    public ScriptedHandler ThenHang() => Then(async (_, token) =>
    {
        await Task.Delay(Timeout.Infinite, token);
        throw new InvalidOperationException("unreachable");
    });

    public Task WaitForRequestAsync(int count)
    {
        lock (_gate)
        {
            while (_arrivals.Count < count) _arrivals.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            return _arrivals[count - 1].Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        TaskCompletionSource arrival;
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(request.Method, request.RequestUri!, headers, body));
            while (_arrivals.Count < _requests.Count) _arrivals.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            arrival = _arrivals[_requests.Count - 1];
        }
        if (!_steps.TryDequeue(out var step)) throw new InvalidOperationException($"No scripted response for request {_requests.Count}: {request.Method} {request.RequestUri}");
        var task = step(request, cancellationToken);
        arrival.TrySetResult();
        var response = await task;
        response.RequestMessage = request;
        return response;
    }
}
