using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace HandWritten;

/// <summary>
/// The limit's HTTP side: headers first, the body straight into a pooled buffer sized by
/// Content-Length, parsed in place, the buffer returned. No retries, no timeout, no logging.
/// </summary>
public sealed class HandWrittenClient(HttpClient http, string apiKey)
{
    public Task<ListRunsResponse> ListRunsAsync(int limit, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"/v1/runs?limit={limit}", null, static body => HandWrittenReader.ReadListRuns(body), cancellationToken);

    public Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "/v1/runs/" + Uri.EscapeDataString(runId), null, static body => HandWrittenReader.ReadRun(body), cancellationToken);

    public Task<QueueRunResponse> QueueRunAsync(string url, string goal, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/v1/automation/run-async", WriteRequest(url, goal), static body => HandWrittenReader.ReadQueued(body), cancellationToken);

    public async IAsyncEnumerable<RunEvent> StreamRunAsync(string url, string goal, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, "/v1/automation/run-sse", WriteRequest(url, goal));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream, static (_, data) => HandWrittenReader.ReadEvent(data)).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            yield return item.Data;
    }

    private delegate T Parse<out T>(ReadOnlySpan<byte> body);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? json, Parse<T> parse, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, json);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var buffer = ArrayPool<byte>.Shared.Rent((int)(response.Content.Headers.ContentLength ?? 16 * 1024) + 1);
        try
        {
            var length = 0;
            await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }
            return parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, byte[]? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("X-API-Key", apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return request;
    }

    private static byte[] WriteRequest(string url, string goal)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("url"u8, url);
            writer.WriteString("goal"u8, goal);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
