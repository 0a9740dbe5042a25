using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TinyFish.FakeServer.Streaming;

/// <summary>
/// The live-view URLs of runs: <c>/live/{run_id}?token=...</c>. The page is opened by a browser (often
/// in an iframe), which cannot send <c>X-API-Key</c>, so like a real live view it is a capability URL:
/// the token is an HMAC of the run id, and without it the page is a 404.
/// </summary>
internal sealed class LiveLinks(byte[] key)
{
    public string Token(string runId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(runId)).AsSpan(0, 12));

    public bool IsValid(string runId, string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(Token(runId)));

    public string PageUrl(string baseUrl, string runId) => $"{baseUrl}/live/{runId}?token={Token(runId)}";

    public string EventsUrl(string baseUrl, string runId) => $"{baseUrl}/live/{runId}/events?token={Token(runId)}";

    public string ScreenshotUrl(string baseUrl, string runId, int step) => $"{baseUrl}/live/{runId}/steps/{step}/screenshot.png?token={Token(runId)}";
}
