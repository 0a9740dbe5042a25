using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

public class ApiRequestTests
{
    [Test]
    public void Path_values_are_escaped_and_null_query_values_left_out()
    {
        var request = new ApiRequest(HttpMethod.Get, "/v1/runs/{id}", "getRun", idempotent: true)
            .WithPath("id", "a b/c")
            .WithQuery("screenshots", (string?)null)
            .WithQuery("limit", 20L);

        Assert.That(request.RelativeUri, Is.EqualTo("v1/runs/a%20b%2Fc?limit=20"));
    }
}
