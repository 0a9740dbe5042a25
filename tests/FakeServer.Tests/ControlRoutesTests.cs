using System.Net;
using FakeServer.Tests.Support;

namespace FakeServer.Tests;

/// <summary>
/// The fake's <c>/_fake</c> routes as a whole, and <c>GET/DELETE /_fake/journal</c> (the faults and
/// scenarios rules have their own test classes).
/// </summary>
public sealed class ControlRoutesTests : FakeHttpTest
{
    [Test]
    public async Task The_journal_lists_what_the_API_received_oldest_first_with_the_key_redacted()
    {
        var id = await Http.QueueAsync();
        using (await Http.GetAsync($"/v1/runs/{id}")) { }
        using (await Http.PostJsonAsync("/_fake/scenarios", """{"never_finishes":true}""")) { }

        using var response = await Http.GetAsync("/_fake/journal");
        var entries = (await response.ReadJsonAsync()).GetProperty("entries").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(static e => $"{e.Str("method")} {e.Str("path")}"), Is.EqualTo(new[] { "POST /v1/automation/run-async", $"GET /v1/runs/{id}" }),
                "the control routes are not part of the journal");
            Assert.That(entries.Select(static e => e.GetProperty("sequence").GetInt64()), Is.Ordered.Ascending);
            Assert.That(entries[0].Str("body"), Is.EqualTo(TestHelpers.MinimalRun));
            Assert.That(entries[0].GetProperty("status_code").GetInt32(), Is.EqualTo(200));
            Assert.That(entries[0].Str("received_at"), Is.EqualTo("2025-01-01T00:00:00Z"));
            Assert.That(entries[0].GetProperty("headers").Str("X-API-Key"), Is.EqualTo("***"));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        });
    }

    [Test]
    public async Task The_journal_filters_by_method_and_path_prefix()
    {
        var id = await Http.QueueAsync();
        using (await Http.GetAsync($"/v1/runs/{id}")) { }
        using (await Http.GetAsync("/v1/runs?limit=1")) { }

        using var response = await Http.GetAsync("/_fake/journal?method=get&path_prefix=/v1/runs/");
        var entries = (await response.ReadJsonAsync()).GetProperty("entries").EnumerateArray().ToList();

        Assert.That(entries.Select(static e => e.Str("path")), Is.EqualTo(new[] { $"/v1/runs/{id}" }));
    }

    [Test]
    public async Task An_unknown_journal_filter_is_400_INVALID_INPUT()
    {
        using var response = await Http.GetAsync("/_fake/journal?status=200");
        await response.AssertErrorAsync(400, "INVALID_INPUT", "status");
    }

    [Test]
    public async Task Delete_empties_the_journal()
    {
        await Http.QueueAsync();
        using (var cleared = await Http.DeleteAsync("/_fake/journal")) Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That(Fake.Journal.Entries, Is.Empty);
        using var response = await Http.GetAsync("/_fake/journal");
        Assert.That((await response.ReadJsonAsync()).GetProperty("entries").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task The_journal_route_takes_the_API_key()
    {
        using var anonymous = Fake.CreateHttpClient();
        using var response = await anonymous.GetAsync("/_fake/journal");
        await response.AssertErrorAsync(401, "MISSING_API_KEY");
    }
}
