using System.Net.Http.Headers;
using System.Text;
using TinyFish.FakeServer;

namespace FakeServer.Tests;

/// <summary>
/// Bad requests to every endpoint of the spec: each gets the documented error envelope and status
/// (400/401/404/405), never a 500, and leaves the store as it was. The fake's self-check is on, so
/// every envelope is also checked against the spec by the fake itself.
/// </summary>
public sealed class HostileInputTests
{
    private const string RunPlaceholder = "{run}";
    private const string CursorPlaceholder = "{cursor}";
    private const string ForeignCursorPlaceholder = "{foreign-cursor}";
    private const string Valid = """{"url":"https://example.com/products","goal":"List every product name and price"}""";

    private FakeTinyFish _fake = null!;
    private HttpClient _client = null!;
    private string _runId = null!;
    private string _tamperedCursor = null!;
    private string _foreignCursor = null!;

    /// <summary>Who the request claims to be.</summary>
    public enum Key
    {
        Valid,
        Missing,
        Empty,
        Wrong,
        WrongCase,
        Twice,
    }

    /// <summary>One hostile request and the answer the spec documents for it.</summary>
    public sealed record Hostile(string Operation, string What, string Method, string Path, byte[]? Body, Key Key, int Status, string Code, string? Field)
    {
        public override string ToString() => $"{Operation}: {What} → {Status} {Code}{(Field is null ? "" : $" on {Field}")}";
    }

    private sealed record Endpoint(string Operation, string Method, string Path, string? ValidBody, string? BodyKind);

    private static readonly Endpoint[] Endpoints =
    [
        new("runAutomation", "POST", "/v1/automation/run", Valid, "run"),
        new("queueRun", "POST", "/v1/automation/run-async", Valid, "run"),
        new("streamRun", "POST", "/v1/automation/run-sse", Valid, "run"),
        new("queueRunBatch", "POST", "/v1/automation/run-batch", $$"""{"runs":[{{Valid}}]}""", "batch"),
        new("listRuns", "GET", "/v1/runs", null, null),
        new("getRun", "GET", $"/v1/runs/{RunPlaceholder}", null, null),
        new("cancelRun", "POST", $"/v1/runs/{RunPlaceholder}/cancel", null, null),
        new("getRunsBatch", "POST", "/v1/runs/batch", $$"""{"run_ids":["{{RunPlaceholder}}"]}""", "ids"),
        new("cancelRunsBatch", "POST", "/v1/runs/batch/cancel", $$"""{"run_ids":["{{RunPlaceholder}}"]}""", "ids"),
    ];

    [OneTimeSetUp]
    public async Task StartFake()
    {
        _fake = FakeTinyFish.Create();
        _fake.SeedHistory(5, seed: 3);
        _runId = await _fake.Http.QueueAsync();
        await _fake.Http.QueueAsync();
        await _fake.AdvanceAsync(TimeSpan.FromSeconds(3)); // one RUNNING, cancellable: a cancel that slipped through would show
        _client = _fake.CreateHttpClient(withApiKey: false);
        _tamperedCursor = Tamper(await FirstCursorAsync(_fake));
        await using var other = FakeTinyFish.Create();
        other.SeedHistory(5, seed: 3);
        _foreignCursor = await FirstCursorAsync(other);
    }

    [OneTimeTearDown]
    public async Task StopFake()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    [TestCaseSource(nameof(Matrix)), CancelAfter(20_000)]
    public async Task A_hostile_request_gets_the_documented_error_and_changes_nothing(Hostile hostile, CancellationToken cancellationToken)
    {
        var before = await SnapshotAsync();
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), Fill(hostile.Path));
        if (hostile.Body is { } body) request.Content = new ByteArrayContent(Fill(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        switch (hostile.Key)
        {
            case Key.Valid: request.Headers.Add("X-API-Key", _fake.ApiKey); break;
            case Key.Empty: request.Headers.TryAddWithoutValidation("X-API-Key", ""); break;
            case Key.Wrong: request.Headers.Add("X-API-Key", "sk-not-the-key"); break;
            case Key.WrongCase: request.Headers.Add("X-API-Key", _fake.ApiKey.ToUpperInvariant()); break;
            case Key.Twice: request.Headers.Add("X-API-Key", [_fake.ApiKey, _fake.ApiKey]); break;
        }

        // Accepted by mistake, a blocking /run would wait for a clock nobody moves: the token turns that into a failure.
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

        Assert.That((int)response.StatusCode, Is.Not.EqualTo(500), await response.Content.ReadAsStringAsync());
        await response.AssertErrorAsync(hostile.Status, hostile.Code, hostile.Field);
        if (hostile.Status == 405) Assert.That(response.Content.Headers.Allow, Does.Contain(Endpoints.Single(e => e.Operation == hostile.Operation).Method));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before), "the store is unchanged");
        Assert.That(_fake.SelfCheck.Violations, Is.Empty);
    }

    private static IEnumerable<TestCaseData> Matrix() => Build().Select(static hostile => new TestCaseData(hostile).SetName(hostile.ToString()));

    private static IEnumerable<Hostile> Build()
    {
        foreach (var endpoint in Endpoints)
        {
            var valid = endpoint.ValidBody is null ? null : Encoding.UTF8.GetBytes(endpoint.ValidBody);
            Hostile Case(string what, int status, string code, string? field, Key key = Key.Valid, string? path = null, byte[]? body = null, string? method = null) =>
                new(endpoint.Operation, what, method ?? endpoint.Method, path ?? endpoint.Path, body ?? valid, key, status, code, field);

            // Authentication, before anything else is looked at.
            yield return Case("no X-API-Key", 401, "MISSING_API_KEY", null, Key.Missing);
            yield return Case("an empty X-API-Key", 401, "MISSING_API_KEY", null, Key.Empty);
            yield return Case("a wrong X-API-Key", 401, "INVALID_API_KEY", null, Key.Wrong);
            yield return Case("the key in the wrong case", 401, "INVALID_API_KEY", null, Key.WrongCase);
            yield return Case("the key twice", 401, "INVALID_API_KEY", null, Key.Twice);

            // Other methods on the path.
            foreach (var method in endpoint.Method == "GET" ? new[] { "PUT", "DELETE", "PATCH" } : ["PUT", "DELETE", "PATCH"])
            {
                yield return Case($"{method} instead of {endpoint.Method}", 405, "METHOD_NOT_ALLOWED", null, method: method);
            }
            if (endpoint.Method == "POST" && endpoint.Operation is not ("getRunsBatch" or "cancelRunsBatch"))
            {
                yield return Case($"GET instead of POST", 405, "METHOD_NOT_ALLOWED", null, method: "GET", body: []);
            }

            yield return Case("an unknown query parameter", 400, "INVALID_INPUT", "debug", path: endpoint.Path + "?debug=1");

            if (endpoint.BodyKind is { } kind)
            {
                foreach (var hostile in BodyCases(endpoint, kind)) yield return hostile;
            }
        }
        foreach (var hostile in PathIdCases()) yield return hostile;
        foreach (var hostile in ListCases()) yield return hostile;
    }

    private static IEnumerable<Hostile> BodyCases(Endpoint endpoint, string kind)
    {
        Hostile Body(string what, string json, string field) => Raw(what, Encoding.UTF8.GetBytes(json), field);
        Hostile Raw(string what, byte[] body, string field) => new(endpoint.Operation, what, endpoint.Method, endpoint.Path, body, Key.Valid, 400, "INVALID_INPUT", field);

        yield return Body("malformed JSON", """{"url":"https://example.com","goal":""", "body");
        yield return Raw("an empty body", [], "body");
        yield return Body("a JSON null body", "null", "body");
        yield return Body("a JSON array body", "[1,2]", "body");
        yield return Body("a JSON string body", "\"run\"", "body");
        yield return Body("trailing garbage after the JSON", endpoint.ValidBody + " x", "body");
        yield return Body("JSON nested 1,000 deep", new string('[', 1000) + new string(']', 1000), "body");
        yield return Raw("a property name that is not UTF-8", [.. "{\""u8, 0xFF, 0xFE, .. "\":1}"u8], "body");
        yield return Raw("a string value that is not UTF-8", NotUtf8Value(endpoint.ValidBody!), "body");
        yield return Body("a 10 MB body", $$"""{"padding":"{{new string('x', 10 * 1024 * 1024)}}"}""", "body");
        yield return Body("a duplicated property", endpoint.ValidBody![..^1] + "," + endpoint.ValidBody[1..], "body");
        yield return Body("an unknown property", endpoint.ValidBody[..^1] + ""","colour":"blue"}""", "colour");

        switch (kind)
        {
            case "run":
                foreach (var (what, json, field) in RunRequestCases("")) yield return Body(what, json, field);
                break;
            case "batch":
                yield return Body("runs of the wrong type", """{"runs":{}}""", "runs");
                yield return Body("no runs", "{}", "runs");
                yield return Body("an empty runs array", """{"runs":[]}""", "runs");
                yield return Body("101 runs", $$"""{"runs":[{{string.Join(",", Enumerable.Repeat(Valid, 101))}}]}""", "runs");
                yield return Body("a run that is a number", """{"runs":[1]}""", "runs[0]");
                foreach (var (what, json, field) in RunRequestCases("runs[0]."))
                {
                    yield return Body($"a batch item with {what}", $$"""{"runs":[{{Valid}},{{json}}]}""".Replace("runs[0]", "runs[1]", StringComparison.Ordinal), field.Replace("runs[0]", "runs[1]", StringComparison.Ordinal));
                }
                break;
            case "ids":
                yield return Body("run_ids of the wrong type", """{"run_ids":"run_1"}""", "run_ids");
                yield return Body("no run_ids", "{}", "run_ids");
                yield return Body("an empty run_ids array", """{"run_ids":[]}""", "run_ids");
                yield return Body("101 run_ids", $$"""{"run_ids":[{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"run_{i}\""))}}]}""", "run_ids");
                yield return Body("a run id that is a number", """{"run_ids":[7]}""", "run_ids[0]");
                yield return Body("a null run id", """{"run_ids":[null]}""", "run_ids[0]");
                yield return Body("an empty run id", """{"run_ids":[""]}""", "run_ids[0]");
                yield return Body("a run id with a dollar sign", """{"run_ids":["{run}","run$1"]}""", "run_ids[1]");
                yield return Body("a run id ending in a newline", """{"run_ids":["{run}","abc\n"]}""", "run_ids[1]");
                yield return Body("a run id ending in a carriage return", """{"run_ids":["abc\r"]}""", "run_ids[0]");
                yield return Body("a run id that climbs directories", """{"run_ids":["../../etc/passwd"]}""", "run_ids[0]");
                break;
        }
    }

    /// <summary>The valid body with a broken UTF-8 sequence (0xC3 0x28) inside its first string value that the fake reads.</summary>
    private static byte[] NotUtf8Value(string validBody)
    {
        var marker = validBody.Contains("\"goal\":\"", StringComparison.Ordinal) ? "\"goal\":\"" : "\"run_ids\":[\"";
        var at = validBody.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return [.. Encoding.UTF8.GetBytes(validBody[..at]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(validBody[at..])];
    }

    /// <summary>Bad run requests; <paramref name="prefix"/> is where the fields sit in the error's <c>field</c>.</summary>
    private static IEnumerable<(string What, string Json, string Field)> RunRequestCases(string prefix)
    {
        yield return ("a url of the wrong type", """{"url":5,"goal":"x"}""", prefix + "url");
        yield return ("a goal of the wrong type", """{"url":"https://example.com","goal":["x"]}""", prefix + "goal");
        yield return ("no url", """{"goal":"x"}""", prefix + "url");
        yield return ("a null goal", """{"url":"https://example.com","goal":null}""", prefix + "goal");
        yield return ("a url with a space", """{"url":"https://example.com/a b","goal":"x"}""", prefix + "url");
        yield return ("a url without a scheme", """{"url":"example.com","goal":"x"}""", prefix + "url");
        yield return ("an empty goal", """{"url":"https://example.com","goal":""}""", prefix + "goal");
        yield return ("max_steps past any integer", """{"url":"https://example.com","goal":"x","agent_config":{"max_steps":1e400}}""", prefix + "agent_config.max_steps");
        yield return ("max_steps of 20 digits", """{"url":"https://example.com","goal":"x","agent_config":{"max_steps":99999999999999999999}}""", prefix + "agent_config.max_steps");
        yield return ("max_duration_seconds of -1", """{"url":"https://example.com","goal":"x","agent_config":{"max_duration_seconds":-1}}""", prefix + "agent_config.max_duration_seconds");
        yield return ("proxy enabled as a string", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":"yes"}}""", prefix + "proxy_config.enabled");
        yield return ("an unknown proxy country", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":true,"country_code":"XX"}}""", prefix + "proxy_config.country_code");
        yield return ("an output_schema that is an array", """{"url":"https://example.com","goal":"x","output_schema":[]}""", prefix + "output_schema");
        yield return ("a credential id that is a number", """{"url":"https://example.com","goal":"x","credential_item_ids":[1]}""", prefix + "credential_item_ids[0]");
        yield return ("a feature flag as a string", """{"url":"https://example.com","goal":"x","feature_flags":{"enable_agent_memory":"true"}}""", prefix + "feature_flags.enable_agent_memory");
        yield return ("a capture flag as a number", """{"url":"https://example.com","goal":"x","capture_config":{"recording":1}}""", prefix + "capture_config.recording");
        yield return ("a webhook without a host", """{"url":"https://example.com","goal":"x","webhook_url":"https://"}""", prefix + "webhook_url");
        yield return ("an unknown browser profile", """{"url":"https://example.com","goal":"x","browser_profile":"turbo"}""", prefix + "browser_profile");
    }

    private static IEnumerable<Hostile> PathIdCases()
    {
        var ids = new (string What, string Segment, int Status, string Code, string? Field)[]
        {
            ("a run id with a dollar sign", "run$1", 400, "INVALID_INPUT", "id"),
            ("an encoded ../..", "..%2F..", 400, "INVALID_INPUT", "id"),
            ("a run id with a space", "run%201", 400, "INVALID_INPUT", "id"),
            ("a run id with a non-ASCII letter", "r%C3%BCn", 400, "INVALID_INPUT", "id"),
            ("a run id with a semicolon", "run_1;drop", 400, "INVALID_INPUT", "id"),
            ("a run id ending in a newline", "abc%0A", 400, "INVALID_INPUT", "id"),
            ("a run id ending in a carriage return", "abc%0D", 400, "INVALID_INPUT", "id"),
            ("a run id ending in CR LF", "abc%0D%0A", 400, "INVALID_INPUT", "id"),
            ("a run id with a tab", "ab%09c", 400, "INVALID_INPUT", "id"),
            ("a run id with an escape character", "ab%1Bc", 400, "INVALID_INPUT", "id"),
            ("a run id with DEL", "abc%7F", 400, "INVALID_INPUT", "id"),
            ("a 5,000-character run id", new string('a', 5000), 404, "NOT_FOUND", null),
            ("an encoded .. segment", "%2e%2e", 404, "NOT_FOUND", null),
            // A NUL (%00) never reaches the fake: TestHost refuses to build the request; standalone, Kestrel refuses it
            // and the envelope is added on the way out (StandaloneHostileInputTests).
        };
        foreach (var (what, segment, status, code, field) in ids)
        {
            yield return new("getRun", what, "GET", $"/v1/runs/{segment}", null, Key.Valid, status, code, field);
            yield return new("cancelRun", what, "POST", $"/v1/runs/{segment}/cancel", null, Key.Valid, status, code, field);
        }
        yield return new("getRun", "an unknown screenshots value", "GET", $"/v1/runs/{RunPlaceholder}?screenshots=png", null, Key.Valid, 400, "INVALID_INPUT", "screenshots");
        yield return new("getRun", "screenshots twice", "GET", $"/v1/runs/{RunPlaceholder}?screenshots=none&screenshots=base64", null, Key.Valid, 400, "INVALID_INPUT", "screenshots");
        yield return new("cancelRun", "a body on a cancel that takes none, with an unknown query", "POST", $"/v1/runs/{RunPlaceholder}/cancel?force=true", "{}"u8.ToArray(), Key.Valid, 400, "INVALID_INPUT", "force");
    }

    private static IEnumerable<Hostile> ListCases()
    {
        var queries = new (string What, string Query, string Field)[]
        {
            ("limit 0", "limit=0", "limit"),
            ("limit 101", "limit=101", "limit"),
            ("limit -1", "limit=-1", "limit"),
            ("limit abc", "limit=abc", "limit"),
            ("an empty limit", "limit=", "limit"),
            ("limit 1.5", "limit=1.5", "limit"),
            ("limit +5", "limit=%2B5", "limit"),
            ("an 11-digit limit", "limit=99999999999", "limit"),
            ("limit twice", "limit=5&limit=6", "limit"),
            ("a tampered cursor", $"cursor={CursorPlaceholder}", "cursor"),
            ("a cursor from another fake", $"cursor={ForeignCursorPlaceholder}", "cursor"),
            ("a cursor reused with another sort direction", $"cursor={CursorPlaceholder}&sort_direction=asc", "cursor"),
            ("a cursor that is not base64", "cursor=%21%21%21.%21%21", "cursor"),
            ("an empty cursor", "cursor=", "cursor"),
            ("a 10,000-character cursor", $"cursor={new string('A', 10_000)}", "cursor"),
            ("created_after yesterday", "created_after=yesterday", "created_after"),
            ("created_after in month 13", "created_after=2025-13-45T00:00:00Z", "created_after"),
            ("created_after at hour 25", "created_after=2025-01-01T25:00:00Z", "created_after"),
            ("created_after past the last instant", "created_after=9999-12-31T23:59:59-23:59", "created_after"),
            ("created_after before the first instant", "created_after=0001-01-01T00:00:00%2B14:00", "created_after"),
            ("created_after without an offset", "created_after=2025-01-01T00:00:00", "created_after"),
            ("created_after with an unencoded +", "created_after=2025-01-01T00:00:00+00:00", "created_after"),
            ("an empty created_before", "created_before=", "created_before"),
            ("created_before as a Unix time", "created_before=1735689600", "created_before"),
            ("an unknown status", "status=DONE", "status"),
            ("a status in lower case", "status=completed", "status"),
            ("an empty status", "status=", "status"),
            ("sort_direction ASC", "sort_direction=ASC", "sort_direction"),
            ("a 501-character goal", $"goal={new string('g', 501)}", "goal"),
            ("an unknown parameter", "page=2", "page"),
        };
        foreach (var (what, query, field) in queries)
        {
            yield return new("listRuns", what, "GET", $"/v1/runs?{query}", null, Key.Valid, 400, "INVALID_INPUT", field);
        }
    }

    private string Fill(string text) => text
        .Replace(RunPlaceholder, _runId, StringComparison.Ordinal)
        .Replace(ForeignCursorPlaceholder, _foreignCursor, StringComparison.Ordinal)
        .Replace(CursorPlaceholder, _tamperedCursor, StringComparison.Ordinal);

    /// <summary>Fills the run id in at the byte level, so bytes that are not UTF-8 stay as they are.</summary>
    private byte[] Fill(byte[] body)
    {
        var placeholder = Encoding.UTF8.GetBytes(RunPlaceholder);
        var at = body.AsSpan().IndexOf(placeholder);
        return at < 0 ? body : Fill([.. body.AsSpan(0, at), .. Encoding.UTF8.GetBytes(_runId), .. body.AsSpan(at + placeholder.Length)]);
    }

    /// <summary>How many runs the fake holds and how every one of them looks now.</summary>
    private async Task<(int Count, string Page)> SnapshotAsync()
    {
        using var page = await _fake.Http.GetAsync("/v1/runs?limit=100");
        Assert.That((int)page.StatusCode, Is.EqualTo(200));
        return (_fake.RunCount, await page.Content.ReadAsStringAsync());
    }

    private static async Task<string> FirstCursorAsync(FakeTinyFish fake)
    {
        var page = await (await fake.Http.GetAsync("/v1/runs?limit=1")).ReadJsonAsync();
        return page.GetProperty("pagination").Str("next_cursor");
    }

    /// <summary>Changes one character of the signed payload, keeping it valid base64url.</summary>
    private static string Tamper(string cursor)
    {
        var characters = cursor.ToCharArray();
        var at = cursor.IndexOf('.', StringComparison.Ordinal) / 2;
        characters[at] = characters[at] == 'A' ? 'B' : 'A';
        return new string(characters);
    }
}
