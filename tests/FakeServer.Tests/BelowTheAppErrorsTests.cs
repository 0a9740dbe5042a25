using System.Text;
using System.Text.Json;
using TinyFish.FakeServer.Hosting;

namespace FakeServer.Tests;

/// <summary>Which of Kestrel's own answers get the envelope, and how (the socket-level cases are in <see cref="StandaloneHostileInputTests"/>).</summary>
public sealed class BelowTheAppErrorsTests
{
    [TestCase(400, "INVALID_INPUT")]
    [TestCase(408, "REQUEST_TIMEOUT")]
    [TestCase(414, "URI_TOO_LONG")]
    [TestCase(431, "REQUEST_HEADERS_TOO_LARGE")]
    [TestCase(505, "HTTP_VERSION_NOT_SUPPORTED")]
    public void A_bare_kestrel_error_gets_the_envelope_and_a_matching_length(int status, string code)
    {
        var bare = $"HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 29 Nov 2026 19:00:00 GMT\r\n\r\n";

        var rewritten = Encoding.UTF8.GetString(BelowTheAppErrors.Rewrite(Encoding.ASCII.GetBytes(bare))!);

        var (head, body) = (rewritten[..rewritten.IndexOf("\r\n\r\n", StringComparison.Ordinal)], rewritten[(rewritten.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.Multiple(() =>
        {
            Assert.That(head, Does.StartWith($"HTTP/1.1 {status} Whatever\r\n").And.Contain("Connection: close").And.Contain("Content-Type: application/json"));
            Assert.That(head, Does.Contain($"Content-Length: {Encoding.UTF8.GetByteCount(body)}"));
            using var envelope = JsonDocument.Parse(body);
            Assert.That(envelope.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo(code));
        });
    }

    [TestCase("HTTP/1.1 400 Bad Request\r\nContent-Length: 52\r\nContent-Type: application/json; charset=utf-8\r\n\r\n", TestName = "The fake's own error (it has a Content-Type)")]
    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", TestName = "A success")]
    [TestCase("HTTP/1.1 204 No Content\r\n\r\n", TestName = "A 204")]
    [TestCase("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nextra", TestName = "More than a head")]
    [TestCase("1a\r\ndata: {\"type\":\"HEARTBEAT\"}\r\n", TestName = "A chunk of a stream")]
    public void Anything_else_passes_untouched(string flush) =>
        Assert.That(BelowTheAppErrors.Rewrite(Encoding.ASCII.GetBytes(flush)), Is.Null);
}
