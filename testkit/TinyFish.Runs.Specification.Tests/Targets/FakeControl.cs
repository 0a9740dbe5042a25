using System.Net;
using System.Text;

namespace TinyFish.Runs.Specification.Targets;

/// <summary>The fake's own <c>/_fake</c> routes, as the suite uses them on an in-process or a standalone fake.</summary>
internal static class FakeControl
{
    /// <summary>Adds a scenario rule (the JSON of <c>POST /_fake/scenarios</c>) through <paramref name="fake"/>, which sends the key.</summary>
    public static async Task AddScenarioAsync(HttpClient fake, string ruleJson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(ruleJson, Encoding.UTF8, "application/json");
        using var response = await fake.PostAsync(new Uri(fake.BaseAddress!, "/_fake/scenarios"), content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException(
                $"The fake at {fake.BaseAddress} refused the scenario {ruleJson}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
