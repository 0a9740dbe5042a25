using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FakeServer.Tests;

/// <summary>Small HTTP and JSON helpers shared by the tests.</summary>
internal static class TestHelpers
{
    public const string MinimalRun = """{"url":"https://example.com/products","goal":"List every product name and price"}""";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, string json) => http.PostAsync(path, Json(json));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<string> QueueAsync(this HttpClient http, string? json = null)
    {
        using var response = await http.PostJsonAsync("/v1/automation/run-async", json ?? MinimalRun);
        var body = await response.ReadJsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToString());
        return body.GetProperty("run_id").GetString()!;
    }

    public static async Task<JsonElement> GetRunAsync(this HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/v1/runs/{id}");
        var body = await response.ReadJsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToString());
        return body;
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).ToString();

    /// <summary>Asserts the error envelope: status, code, and (when given) a detail on <paramref name="field"/>.</summary>
    public static async Task<JsonElement> AssertErrorAsync(this HttpResponseMessage response, int status, string code, string? field = null)
    {
        var body = await response.ReadJsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body.ToString());
            Assert.That(body.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo(code), body.ToString());
            Assert.That(body.GetProperty("error").GetProperty("message").GetString(), Is.Not.Empty);
        });
        if (field is not null)
        {
            var fields = body.GetProperty("error").GetProperty("details").EnumerateArray().Select(detail => detail.GetProperty("field").GetString()).ToList();
            Assert.That(fields, Does.Contain(field), body.ToString());
        }
        return body;
    }
}
