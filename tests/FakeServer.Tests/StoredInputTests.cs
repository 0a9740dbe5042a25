using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TinyFish.FakeServer;

namespace FakeServer.Tests;

/// <summary>
/// What a create accepts, every later read can write back: the text classes that broke reads before
/// (lone UTF-16 surrogates, deep nesting, huge numbers) are refused at the door with the envelope
/// on the field, odd but valid text is stored and read back, and after all of it a full list walk,
/// a get of every run and a batch get of every run still answer 200 and pass the self-check.
/// </summary>
public sealed class StoredInputTests
{
    private const string Url = "https://example.com/products";

    private FakeTinyFish _fake = null!;

    [OneTimeSetUp]
    public async Task StartFake()
    {
        _fake = FakeTinyFish.Create();
        _fake.SeedHistory(30, seed: 9);
        await _fake.Http.QueueAsync();
    }

    [OneTimeTearDown]
    public async Task StopFake()
    {
        await AssertStoreReadableAsync();
        await _fake.DisposeAsync();
    }

    /// <summary>A lone surrogate escape in every string field and key a run request has, in each of the four create endpoints.</summary>
    private static IEnumerable<TestCaseData> LoneSurrogates()
    {
        var fields = new (string What, string Json, string Field)[]
        {
            ("url", $$"""{"url":"{{Url}}/\ud800","goal":"x"}""", "url"),
            ("goal", """{"url":"https://example.com","goal":"a\ud800b"}""", "goal"),
            ("goal (a lone low surrogate)", """{"url":"https://example.com","goal":"a\udc00b"}""", "goal"),
            ("goal (high then a letter)", """{"url":"https://example.com","goal":"\ud800\u0041"}""", "goal"),
            ("browser_profile", """{"url":"https://example.com","goal":"x","browser_profile":"\ud800"}""", "browser_profile"),
            ("proxy_config.type", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":true,"type":"\ud800"}}""", "proxy_config.type"),
            ("proxy_config.country_code", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":true,"country_code":"\udbff"}}""", "proxy_config.country_code"),
            ("proxy_config.url", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":true,"url":"\ud800"}}""", "proxy_config.url"),
            ("proxy_config.username", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":true,"username":"\ud800"}}""", "proxy_config.username"),
            ("proxy_config.password", """{"url":"https://example.com","goal":"x","proxy_config":{"enabled":true,"password":"\ud800"}}""", "proxy_config.password"),
            ("output_schema, a value", """{"url":"https://example.com","goal":"x","output_schema":{"type":"\ud800"}}""", "output_schema.type"),
            ("output_schema, a nested array item", """{"url":"https://example.com","goal":"x","output_schema":{"enum":["a","\ud800"]}}""", "output_schema.enum[1]"),
            ("output_schema, a key", """{"url":"https://example.com","goal":"x","output_schema":{"properties":{"\ud800":{}}}}""", "output_schema.properties (a property name)"),
            ("agent_config.mode", """{"url":"https://example.com","goal":"x","agent_config":{"mode":"\ud800"}}""", "agent_config.mode"),
            ("webhook_url", """{"url":"https://example.com","goal":"x","webhook_url":"https://h.example/\ud800"}""", "webhook_url"),
            ("profile_id", """{"url":"https://example.com","goal":"x","profile_id":"\ud800"}""", "profile_id"),
            ("credential_item_ids[0]", """{"url":"https://example.com","goal":"x","credential_item_ids":["\ud800"]}""", "credential_item_ids[0]"),
            ("api_integration", """{"url":"https://example.com","goal":"x","api_integration":"\ud800"}""", "api_integration"),
            ("a key at the root", """{"url":"https://example.com","goal":"x","\ud800":1}""", "body (a property name)"),
            ("a key in capture_config", """{"url":"https://example.com","goal":"x","capture_config":{"\udfff":true}}""", "capture_config (a property name)"),
            ("a key in feature_flags", """{"url":"https://example.com","goal":"x","feature_flags":{"\ud800":true}}""", "feature_flags (a property name)"),
        };
        foreach (var (what, json, field) in fields)
        {
            foreach (var path in new[] { "/v1/automation/run", "/v1/automation/run-async", "/v1/automation/run-sse" })
            {
                yield return new TestCaseData(path, json, field).SetName($"A lone surrogate in {what} → 400 on {field} ({path})");
            }
            yield return new TestCaseData("/v1/automation/run-batch", $$"""{"runs":[{"url":"https://example.com","goal":"ok"},{{json}}]}""", field == "body (a property name)" ? "runs[1] (a property name)" : "runs[1]." + field.Replace(" (a property name)", "", StringComparison.Ordinal) + (field.EndsWith("(a property name)", StringComparison.Ordinal) ? " (a property name)" : ""))
                .SetName($"A lone surrogate in {what} of a batch item → 400 (/v1/automation/run-batch)");
        }
        yield return new TestCaseData("/v1/runs/batch", """{"run_ids":["run_a","\ud800"]}""", "run_ids[1]").SetName("A lone surrogate in a batch get id → 400 on run_ids[1]");
        yield return new TestCaseData("/v1/runs/batch/cancel", """{"run_ids":["\ud800"]}""", "run_ids[0]").SetName("A lone surrogate in a batch cancel id → 400 on run_ids[0]");
        yield return new TestCaseData("/v1/runs/batch", """{"\ud800":["run_a"]}""", "body (a property name)").SetName("A lone surrogate as the key of a batch get → 400");
        yield return new TestCaseData("/_fake/scenarios", """{"goal_contains":"x","result":{"a":"\ud800"}}""", "result.a").SetName("A lone surrogate in a scenario's result → 400 (/_fake/scenarios)");
    }

    [TestCaseSource(nameof(LoneSurrogates)), CancelAfter(10_000)]
    public async Task A_lone_surrogate_is_refused_at_the_door_on_its_field(string path, string json, string field, CancellationToken cancellationToken)
    {
        var before = _fake.RunCount;
        using var response = await _fake.Http.PostAsync(path, TestHelpers.Json(json), cancellationToken);
        var body = await response.AssertErrorAsync(400, "INVALID_INPUT", field);
        Assert.That(body.ToString(), Does.Contain("surrogate"));
        Assert.That(_fake.RunCount, Is.EqualTo(before), "nothing was stored");
    }

    /// <summary>Bodies a parser takes apart: each is one 400 on <c>body</c>.</summary>
    private static IEnumerable<TestCaseData> Unparseable()
    {
        static string Nested(int depth) => $$"""{"url":"https://example.com","goal":"x","output_schema":{{string.Concat(Enumerable.Repeat("{\"a\":", depth - 1))}}1{{new string('}', depth - 1)}}}""";
        yield return new TestCaseData(Encoding.UTF8.GetBytes(Nested(33))).SetName("A body nested 33 deep (output_schema) → 400");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x","output_schema":{"a":1,"a":2}}""")).SetName("A duplicated key inside output_schema → 400");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x","goal":"y"}""")).SetName("A duplicated goal → 400");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x","agent_config":{"max_steps":NaN}}""")).SetName("NaN → 400");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x","agent_config":{"max_steps":Infinity}}""")).SetName("Infinity → 400");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x","output_schema":{"a":-}}""")).SetName("A lone minus sign → 400");
        yield return new TestCaseData((byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x"}""")]).SetName("A UTF-8 byte order mark → 400");
        yield return new TestCaseData((byte[])[0xFE, 0xFF, 0x00, (byte)'{', 0x00, (byte)'}']).SetName("UTF-16 with its byte order mark → 400");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":"x\u0000"}""" + "\0")).SetName("A NUL byte after the JSON → 400");
        yield return new TestCaseData((byte[])[.. Encoding.UTF8.GetBytes("""{"url":"https://example.com","goal":" """), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\"}")]).SetName("A surrogate encoded as UTF-8 bytes (CESU) → 400");
    }

    [TestCaseSource(nameof(Unparseable)), CancelAfter(10_000)]
    public async Task A_body_that_is_not_storable_json_is_one_400_on_body(byte[] body, CancellationToken cancellationToken)
    {
        var before = _fake.RunCount;
        foreach (var path in new[] { "/v1/automation/run-async", "/v1/automation/run" })
        {
            using var content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            using var response = await _fake.Http.PostAsync(path, content, cancellationToken);
            await response.AssertErrorAsync(400, "INVALID_INPUT", "body");
        }
        Assert.That(_fake.RunCount, Is.EqualTo(before));
    }

    /// <summary>Odd but valid input: stored, and read back exactly as sent.</summary>
    private static IEnumerable<TestCaseData> Storable()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        yield return new TestCaseData("""{"url":"https://example.com","goal":"tab\tnul\u0000bell\u0007 del\u007f line\u2028 end"}""", "goal").SetName("Control characters and U+2028 in the goal are stored and read back");
        yield return new TestCaseData("""{"url":"https://example.com","goal":"a \ud83d\udc1f fish and \uFFFF"}""", "goal").SetName("A surrogate pair and a noncharacter in the goal are stored and read back");
        yield return new TestCaseData("""{"url":"https://example.com","goal":"x","output_schema":{"big":1e400,"small":-1E-400,"long":123456789012345678901234567890,"zero":-0}}""", "output_schema").SetName("Numbers past double's range in output_schema are stored and read back digit for digit");
        yield return new TestCaseData($$"""{"url":"https://example.com","goal":"x","output_schema":{{Nested(31)}}}""", "output_schema").SetName("An output_schema 31 levels deep (a 32-level body) is stored and read back");
        yield return new TestCaseData("""{"url":"https://example.com","goal":"x","output_schema":{"<script>":"</script>","\"":"'&"}}""", "output_schema").SetName("Markup and quotes in output_schema keys are stored and read back");
    }

    [TestCaseSource(nameof(Storable)), CancelAfter(10_000)]
    public async Task Odd_valid_input_is_stored_and_every_read_writes_it_back(string json, string field, CancellationToken cancellationToken)
    {
        var id = await _fake.Http.QueueAsync(json);
        await _fake.AdvanceAsync(TimeSpan.FromSeconds(11), cancellationToken);
        using var sent = JsonDocument.Parse(json);
        var run = await _fake.Http.GetRunAsync(id);
        Assert.That(JsonElement.DeepEquals(run.GetProperty(field), sent.RootElement.GetProperty(field)), Is.True, run.GetProperty(field).GetRawText());
        Assert.That(run.GetProperty(field).GetRawText(), Does.Contain(field == "output_schema" && json.Contains("1e400", StringComparison.Ordinal) ? "1e400" : ""));
        await AssertStoreReadableAsync();

        // The run's event stream (the live view's replay of a finished run) writes it back too.
        using var browser = _fake.CreateHttpClient();
        var events = run.Str("streaming_url").Replace("?token=", "/events?token=", StringComparison.Ordinal);
        using var stream = await browser.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new SseReader(await stream.Content.ReadAsStreamAsync(cancellationToken));
        var frames = await reader.ReadToEndAsync(cancellationToken);
        Assert.That(frames.Select(frame => frame.Str("type")).Last(), Is.EqualTo("COMPLETE"));
        Assert.That(_fake.SelfCheck.Violations, Is.Empty);
    }

    /// <summary>A list walk over every page, a get of every run, a batch get of them all: all 200, self-check clean.</summary>
    private async Task AssertStoreReadableAsync()
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            using var page = await _fake.Http.GetAsync($"/v1/runs?limit=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            var json = await page.ReadJsonAsync();
            Assert.That((int)page.StatusCode, Is.EqualTo(200), json.ToString());
            ids.AddRange(json.GetProperty("data").EnumerateArray().Select(static run => run.Str("run_id")));
            cursor = json.GetProperty("pagination").GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.That(ids, Has.Count.EqualTo(_fake.RunCount).And.Unique, "the walk reached every run");
        foreach (var id in ids) await _fake.Http.GetRunAsync(id);
        foreach (var chunk in ids.Chunk(100))
        {
            using var batch = await _fake.Http.PostJsonAsync("/v1/runs/batch", JsonSerializer.Serialize(new { run_ids = chunk }));
            Assert.That((int)batch.StatusCode, Is.EqualTo(200), await batch.Content.ReadAsStringAsync());
        }
        Assert.That(_fake.SelfCheck.Violations, Is.Empty);
    }
}
