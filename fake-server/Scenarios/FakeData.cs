using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bogus;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Scenarios;

/// <summary>Bogus-made, seeded content: results, progress purposes, goals and URLs that look real.</summary>
internal static class FakeData
{
    private static readonly string[] Sites =
    [
        "https://www.linkedin.com/jobs", "https://news.ycombinator.com", "https://www.amazon.com/s?k={0}",
        "https://www.booking.com/searchresults.html?ss={0}", "https://github.com/trending", "https://www.zillow.com/homes/{0}",
        "https://www.ebay.com/sch/i.html?_nkw={0}", "https://www.craigslist.org/search/sss?query={0}", "https://shop.example.com/{0}",
    ];

    private static readonly string[] GoalTemplates =
    [
        "Find the price of {0} and whether it is in stock",
        "List the first {1} products matching \"{0}\" with name and price",
        "Collect the titles and links of the top {1} posts",
        "Find job openings for {2} in {3} and return title, company and link",
        "Get the opening hours and phone number of {4}",
        "Compare the prices of {0} across the first {1} sellers",
        "Sign in and download the latest invoice for {4}",
        "Extract the contact email from the {5} page",
    ];

    /// <summary>A stable seed from two numbers (HashCode.Combine is randomized per process, so it cannot be used).</summary>
    public static int Mix(int seed, long index)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (int)(z ^ (z >> 31));
        }
    }

    public static Faker FakerFor(int seed) => new() { Random = new Randomizer(seed) };

    /// <summary>A made-up result object for a COMPLETED run, shaped by the goal's wording.</summary>
    public static JsonElement Result(Faker faker, string url)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("source_url", url);
            writer.WriteString("summary", faker.Lorem.Sentence(8));
            writer.WriteStartArray("items");
            var count = faker.Random.Int(1, 4);
            for (var i = 0; i < count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("name", faker.Commerce.ProductName());
                writer.WriteString("price", "$" + faker.Commerce.Price(5, 500));
                writer.WriteBoolean("in_stock", faker.Random.Bool(0.8f));
                writer.WriteString("url", faker.Internet.UrlWithPath("https"));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return JsonSerializer.Deserialize(buffer.WrittenSpan, FakeJsonContext.Wire.JsonElement);
    }

    public static JsonElement GoalFailure(string reason)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "failure");
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }
        return JsonSerializer.Deserialize(buffer.WrittenSpan, FakeJsonContext.Wire.JsonElement);
    }

    public static ImmutableArray<string> Purposes(Faker faker, string url, int count)
    {
        var purposes = ImmutableArray.CreateBuilder<string>(count);
        for (var i = 0; i < count; i++)
        {
            purposes.Add(i == 0
                ? $"Navigating to {url}"
                : faker.PickRandom(
                    $"Clicking the \"{faker.Commerce.Department()}\" link",
                    $"Typing \"{faker.Commerce.ProductAdjective().ToLowerInvariant()} {faker.Commerce.Product().ToLowerInvariant()}\" into the search box",
                    $"Scrolling to the {faker.Lorem.Word()} section",
                    $"Extracting {faker.Random.Int(2, 20)} items from the page",
                    "Closing a cookie banner",
                    $"Opening page {faker.Random.Int(2, 5)} of the results"));
        }
        return purposes.MoveToImmutable();
    }

    public static (string Url, string Goal) UrlAndGoal(Faker faker)
    {
        var product = faker.Commerce.ProductName();
        var url = string.Format(CultureInfo.InvariantCulture, faker.PickRandom(Sites), Uri.EscapeDataString(faker.Commerce.Product().ToLowerInvariant()));
        var goal = string.Format(CultureInfo.InvariantCulture, faker.PickRandom(GoalTemplates),
            product, faker.Random.Int(3, 20), faker.Name.JobTitle(), faker.Address.City(), faker.Company.CompanyName(), faker.Commerce.Department());
        return (url, goal);
    }
}
