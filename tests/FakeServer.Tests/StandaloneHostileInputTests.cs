using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using TinyFish.FakeServer.Hosting;

namespace FakeServer.Tests;

/// <summary>
/// Hostile requests only a real socket can send — bodies past Kestrel's limits, bodies that stop
/// arriving, request lines and headers past its limits, requests that are not HTTP — each answered
/// with the error envelope (never a 500, never a hang), and the fake serving normally afterwards.
/// </summary>
[Category("Standalone")]
public sealed class StandaloneHostileInputTests
{
    private const string Key = "X-API-Key: test-key\r\n";

    private StandaloneHost _host = null!;
    private Uri _address = null!;

    [OneTimeSetUp]
    public async Task StartHost()
    {
        var options = StandaloneOptions.Parse(["--urls", "http://127.0.0.1:0", "--history", "30", "--body-timeout-seconds", "2", "--queued-seconds", "0", "--running-seconds", "0"], out var error)!;
        Assert.That(error, Is.Null);
        _host = await StandaloneHost.StartAsync(options, CancellationToken.None);
        _address = new Uri(_host.Addresses.Single());
    }

    [OneTimeTearDown]
    public async Task StopHost() => await _host.DisposeAsync();

    [TearDown]
    public async Task The_fake_still_serves_and_its_self_check_is_clean()
    {
        using var http = new HttpClient { BaseAddress = _address };
        http.DefaultRequestHeaders.Add("X-API-Key", "test-key");
        using var page = await http.GetAsync("/v1/runs?limit=100");
        Assert.That((int)page.StatusCode, Is.EqualTo(200));
        Assert.That(_host.State.SelfCheck.Violations, Is.Empty);
    }

    [Test, CancelAfter(30_000)]
    public async Task A_31_MB_body_with_its_content_length_is_a_400_on_body_without_being_read(CancellationToken cancellationToken)
    {
        var head = $"POST /v1/automation/run-async HTTP/1.1\r\nHost: x\r\n{Key}Content-Type: application/json\r\nContent-Length: 31000000\r\n\r\n";
        var (status, body) = await ExchangeAsync([.. Encoding.ASCII.GetBytes(head), .. new byte[64 * 1024]], cancellationToken);
        AssertEnvelope(status, body, 400, "INVALID_INPUT", "body");
    }

    [Test, CancelAfter(30_000)]
    public async Task A_chunked_body_past_the_limit_is_a_400_on_body(CancellationToken cancellationToken)
    {
        var chunk = Encoding.ASCII.GetBytes($"10000\r\n{new string('a', 0x10000)}\r\n");
        var request = new List<byte>(Encoding.ASCII.GetBytes($"POST /v1/automation/run-async HTTP/1.1\r\nHost: x\r\n{Key}Transfer-Encoding: chunked\r\n\r\n"));
        for (var i = 0; i < 20; i++) request.AddRange(chunk); // 1.25 MiB, past the 1 MiB limit
        var (status, body) = await ExchangeAsync([.. request], cancellationToken);
        AssertEnvelope(status, body, 400, "INVALID_INPUT", "body");
    }

    [Test, CancelAfter(30_000)]
    public async Task A_body_that_stops_arriving_is_a_408(CancellationToken cancellationToken)
    {
        var head = $"POST /v1/automation/run-async HTTP/1.1\r\nHost: x\r\n{Key}Content-Length: 100\r\n\r\n{{\"url\":\"ht";
        var (status, body) = await ExchangeAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        AssertEnvelope(status, body, 408, "REQUEST_TIMEOUT", null);
        Assert.That(_host.State.Journal.Entries[^1].StatusCode, Is.EqualTo(408), "the journal records the 408 that was sent");
    }

    [Test, CancelAfter(30_000)]
    public async Task A_broken_chunk_is_a_400_on_body(CancellationToken cancellationToken)
    {
        var request = $"POST /v1/automation/run-async HTTP/1.1\r\nHost: x\r\n{Key}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
        var (status, body) = await ExchangeAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        AssertEnvelope(status, body, 400, "INVALID_INPUT", "body");
    }

    private static IEnumerable<TestCaseData> BelowTheApp()
    {
        yield return new TestCaseData($"GET /v1/runs?goal={new string('g', StandaloneHost.MaxRequestLineBytes)} HTTP/1.1\r\nHost: x\r\n{Key}\r\n", 414, "URI_TOO_LONG").SetName("A URL past the request-line limit → 414 envelope");
        yield return new TestCaseData($"GET /v1/runs HTTP/1.1\r\nHost: x\r\n{Key}X-Big: {new string('h', StandaloneHost.MaxRequestHeadersBytes)}\r\n\r\n", 431, "REQUEST_HEADERS_TOO_LARGE").SetName("Headers past the limit → 431 envelope");
        yield return new TestCaseData("GARBAGE\r\n\r\n", 400, "INVALID_INPUT").SetName("A request line that is not HTTP → 400 envelope");
        yield return new TestCaseData($"GET /v1/runs/abc%00 HTTP/1.1\r\nHost: x\r\n{Key}\r\n", 400, "INVALID_INPUT").SetName("A NUL in the path → 400 envelope");
        yield return new TestCaseData($"GET /v1/runs HTTP/1.1\r\nHost: x\r\n{Key}Bad Header: y\r\n\r\n", 400, "INVALID_INPUT").SetName("A header name with a space → 400 envelope");
        yield return new TestCaseData($"GET /v1/runs HTTP/1.1\r\n{Key}\r\n", 400, "INVALID_INPUT").SetName("HTTP/1.1 without Host → 400 envelope");
        yield return new TestCaseData($"GET /v1/runs HTTP/1.1\r\nHost: a\r\nHost: b\r\n{Key}\r\n", 400, "INVALID_INPUT").SetName("Two Host headers → 400 envelope");
        yield return new TestCaseData($"POST /v1/automation/run-async HTTP/1.1\r\nHost: x\r\n{Key}Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, "INVALID_INPUT").SetName("Two Content-Lengths → 400 envelope");
        yield return new TestCaseData($"GET /v1/runs HTTP/1.1\r\nHost: x\r\n{Key}", 408, "REQUEST_TIMEOUT").SetName("Headers that never finish → 408 envelope");
    }

    [TestCaseSource(nameof(BelowTheApp)), CancelAfter(30_000)]
    public async Task What_kestrel_refuses_itself_still_gets_the_envelope(string request, int expectedStatus, string code, CancellationToken cancellationToken)
    {
        var (status, body) = await ExchangeAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        AssertEnvelope(status, body, expectedStatus, code, null);
    }

    [TestCase("evil.example")]
    [TestCase("127.0.0.1:99999")]
    [TestCase("")]
    public async Task A_hostile_host_header_changes_no_link(string host)
    {
        var version = host.Length == 0 ? "HTTP/1.0" : "HTTP/1.1";
        var hostLine = host.Length == 0 ? "" : $"Host: {host}\r\n";
        var (status, body) = await ExchangeAsync(Encoding.ASCII.GetBytes($"GET /v1/runs?limit=5 {version}\r\n{hostLine}{Key}Connection: close\r\n\r\n"), CancellationToken.None);
        Assert.That(status, Is.EqualTo(200), body);
        using var page = JsonDocument.Parse(body);
        foreach (var run in page.RootElement.GetProperty("data").EnumerateArray())
        {
            Assert.That(run.GetProperty("streaming_url").GetString(), Does.StartWith($"{_address.GetLeftPart(UriPartial.Authority)}/live/"));
        }
    }

    private static void AssertEnvelope(int status, string body, int expectedStatus, string code, string? field)
    {
        Assert.That(status, Is.EqualTo(expectedStatus), body);
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("error");
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code), body);
        Assert.That(error.GetProperty("message").GetString(), Is.Not.Empty);
        if (field is not null) Assert.That(error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()), Does.Contain(field));
    }

    /// <summary>Sends raw bytes, reads one response to the end (every answer here closes the connection), and returns its status and body (chunked bodies joined).</summary>
    private async Task<(int Status, string Body)> ExchangeAsync(byte[] request, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_address.Host, _address.Port, cancellationToken);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, cancellationToken);
        }
        catch (IOException)
        {
            // The server answered and closed before taking every byte: the answer is still there to read.
        }
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        // Read until the answer is complete by its own framing: after refusing a body, Kestrel keeps the
        // connection open a while to drain it, so "until closed" would wait for that.
        while (Complete(received) is null)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException) when (received.Length > 0)
            {
                break;
            }
            if (read == 0) break;
            received.Write(buffer, 0, read);
        }
        var answer = Complete(received);
        Assert.That(answer, Is.Not.Null, $"no complete HTTP answer: '{Encoding.UTF8.GetString(received.ToArray())}'");
        return answer!.Value;
    }

    /// <summary>The status and body once <paramref name="received"/> holds a whole answer; null before.</summary>
    private static (int Status, string Body)? Complete(MemoryStream received)
    {
        var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0) return null;
        var head = text[..headEnd];
        var body = text[(headEnd + 4)..];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal) ? (status, Dechunk(body)) : null;
        }
        var length = head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
            ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : (int?)null;
        return length is null || Encoding.UTF8.GetByteCount(body) >= length ? (status, body) : null;
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..lineEnd], 16);
            if (size == 0) return body.ToString();
            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
