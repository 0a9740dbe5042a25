using System.Net;
using System.Text;

namespace AotConsole;

/// <summary>
/// The runs API as a handful of canned answers, served in memory: no socket, no network. It checks
/// the API key, records the bodies it receives, and answers by method and path.
/// </summary>
internal sealed class CannedApi : HttpMessageHandler
{
    public const string ApiKey = "sk-aot-sample";

    /// <summary>A run with a status and fields this client's spec does not know (a newer API version).</summary>
    public const string FutureRunJson = """
        {"run_id":"run_2","status":"PAUSED_FOR_REVIEW","goal":"Read the changelog","created_at":"2025-01-01T00:00:00Z","started_at":"2025-01-01T00:00:01Z","finished_at":null,"num_of_steps":1,"result":null,"error":null,"streaming_url":"https://stream.example/run_2","browser_config":{"proxy_enabled":true,"proxy_country_code":"JP","proxy_region":"kanto"},"reviewer":{"name":"Ada","queue":7},"priority":"high"}
        """;

    private const string CompletedRunJson = """
        {"run_id":"run_1","status":"COMPLETED","goal":"Find the price of the Pro plan","created_at":"2025-01-01T00:00:00Z","started_at":"2025-01-01T00:00:01Z","finished_at":"2025-01-01T00:00:21Z","num_of_steps":2,"result":{"plan":"Pro","price":"$49"},"error":null,"streaming_url":"https://stream.example/run_1","streamingUrl":"https://stream.example/run_1","browser_config":null,"steps":[{"id":"step_1","timestamp":"2025-01-01T00:00:02Z","purpose":"Open the pricing page","action":"navigate","url":"https://shop.example/pricing","screenshot":null},{"id":"step_2","timestamp":"2025-01-01T00:00:10Z","purpose":"Read the price","action":"extract","url":null,"screenshot":null}]}
        """;

    private const string FailedRunJson = """
        {"run_id":"run_3","status":"FAILED","goal":"List the products","created_at":"2024-12-31T00:00:00Z","started_at":"2024-12-31T00:00:01Z","finished_at":"2024-12-31T00:00:05Z","num_of_steps":1,"result":null,"error":{"message":"Site blocked the browser","category":"SITE_BLOCKED","retry_after":null,"help_message":null},"streaming_url":null,"browser_config":null}
        """;

    private static readonly string[] Events =
    {
        """{"type":"STARTED","run_id":"run_4","timestamp":"2025-01-01T00:00:00Z"}""",
        """{"type":"STREAMING_URL","run_id":"run_4","streaming_url":"https://stream.example/run_4","timestamp":"2025-01-01T00:00:01Z"}""",
        """{"type":"PROGRESS","run_id":"run_4","purpose":"Open the pricing page","timestamp":"2025-01-01T00:00:02Z"}""",
        """{"type":"SCREENSHOT","run_id":"run_4","image":"https://cdn.example/run_4/1.png","timestamp":"2025-01-01T00:00:03Z"}""",
        """{"type":"HEARTBEAT","timestamp":"2025-01-01T00:00:10Z"}""",
        """{"type":"COMPLETE","run_id":"run_4","status":"COMPLETED","timestamp":"2025-01-01T00:00:12Z","result":{"price":"$49"},"error":null}""",
    };

    /// <summary>Request bodies received, in order.</summary>
    public List<string> Bodies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValues("X-API-Key", out var keys) || keys.SingleOrDefault() != ApiKey)
        {
            return Json(HttpStatusCode.Unauthorized, """{"error":{"code":"MISSING_API_KEY","message":"X-API-Key header is required"}}""");
        }
        if (request.Content is not null) Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));

        var path = request.RequestUri!.AbsolutePath;
        var query = request.RequestUri.Query;
        return (request.Method.Method, path) switch
        {
            ("POST", "/v1/automation/run-async") => Json(HttpStatusCode.OK, """{"run_id":"run_1","error":null}"""),
            ("GET", "/v1/runs/run_1") => Json(HttpStatusCode.OK, CompletedRunJson),
            ("GET", "/v1/runs/run_2") => Json(HttpStatusCode.OK, FutureRunJson),
            ("GET", "/v1/runs") when !query.Contains("cursor=", StringComparison.Ordinal) =>
                Json(HttpStatusCode.OK, "{\"data\":[" + FutureRunJson + "," + CompletedRunJson + "],\"pagination\":{\"total\":3,\"next_cursor\":\"page-2\",\"has_more\":true}}"),
            ("GET", "/v1/runs") when query.Contains("cursor=page-2", StringComparison.Ordinal) =>
                Json(HttpStatusCode.OK, "{\"data\":[" + FailedRunJson + "],\"pagination\":{\"total\":3,\"next_cursor\":null,\"has_more\":false}}"),
            ("POST", "/v1/automation/run-sse") => EventStream(),
            _ => Json(HttpStatusCode.NotFound, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"No route " + request.Method.Method + " " + path + "\"}}"),
        };
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage EventStream()
    {
        var body = new StringBuilder();
        foreach (var data in Events) body.Append("data: ").Append(data).Append("\n\n");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body.ToString(), Encoding.UTF8, "text/event-stream") };
    }
}
