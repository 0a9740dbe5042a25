using System.Net;
using System.Text;

namespace Generator.Tests.Infrastructure;

/// <summary>A request a <see cref="StubHandler"/> received, as text and bytes.</summary>
internal sealed record RecordedRequest(string Method, string Uri, string? Authorization, string Headers, string? Body, string? ContentType, byte[]? BodyBytes);

/// <summary>Answers every request in memory with what <paramref name="respond"/> says, in <paramref name="mediaType"/>, and records it.</summary>
internal sealed class StubHandler(Func<RecordedRequest, (HttpStatusCode Status, string Body)> respond, string mediaType = "application/json", Encoding? encoding = null) : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bytes = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var body = bytes is null ? null : Encoding.UTF8.GetString(bytes);
        var headers = string.Join("\n", request.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value)));
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), headers, body,
            request.Content?.Headers.ContentType?.ToString(), bytes);
        Requests.Add(recorded);
        var (status, content) = respond(recorded);
        return new HttpResponseMessage(status) { Content = new StringContent(content, encoding ?? Encoding.UTF8, mediaType) };
    }
}
