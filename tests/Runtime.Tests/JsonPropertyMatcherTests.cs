using System.Text;
using System.Text.Json;
using TinyFish.Toolkit.Runtime.Json;

namespace Runtime.Tests;

public class JsonPropertyMatcherTests
{
    private static readonly JsonPropertyMatcher Matcher = new("run_id", "streaming_url", "status");

    [TestCase("\"run_id\"", 0)]
    [TestCase("\"runId\"", 0)]
    [TestCase("\"RUN-ID\"", 0)]
    [TestCase("\"streamingUrl\"", 1)]
    [TestCase("\"st\\u0061tus\"", 2)]
    [TestCase("\"runIds\"", -1)]
    [TestCase("\"\"", -1)]
    public void A_name_matches_exactly_or_ignoring_case_underscores_and_dashes(string name, int expected)
    {
        Assert.That(MatchOf(name), Is.EqualTo(expected));
    }

    [Test]
    public void A_name_longer_than_the_stack_buffer_still_matches_loosely()
    {
        var longName = new string('x', 300) + "_id";
        var matcher = new JsonPropertyMatcher(longName);

        Assert.That(MatchOf("\"" + new string('X', 300) + "Id\"", matcher), Is.EqualTo(0));
    }

    private static int MatchOf(string quotedName, JsonPropertyMatcher? matcher = null)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("{" + quotedName + ":1}"));
        reader.Read();
        reader.Read();
        return (matcher ?? Matcher).Match(ref reader);
    }
}
