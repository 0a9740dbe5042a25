using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bogus;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Scenarios;

/// <summary>
/// Seeded content that looks real: results, progress purposes, goals and URLs. The words come from
/// Bogus, drawn once per process into fixed pools (with a fixed seed, so the pools are the same
/// everywhere); a run's content is then picked from the pools with a <see cref="FakeRandom"/>, which
/// costs a few hundred nanoseconds where a new Bogus <see cref="Faker"/> costs over a millisecond.
/// The same seed gives the same bytes.
/// </summary>
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

    private static readonly Lazy<Pools> Words = new(Pools.Draw, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Draws the word pools now (tens of milliseconds, once per process), so no run creation pays for it.</summary>
    public static void Warm() => _ = Words.Value;

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

    /// <summary>A made-up result object for a COMPLETED run, shaped by the goal's wording.</summary>
    private static JsonElement Result(ref FakeRandom random, string url)
    {
        var words = Words.Value;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("source_url", url);
            writer.WriteString("summary", random.Pick(words.Sentences));
            writer.WriteStartArray("items");
            var count = random.Int(1, 4);
            for (var i = 0; i < count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("name", random.Pick(words.ProductNames));
                writer.WriteString("price", "$" + (random.Int(500, 50_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture));
                writer.WriteBoolean("in_stock", random.Chance(0.8));
                writer.WriteString("url", random.Pick(words.Urls));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Parse(buffer.WrittenSpan);
    }

    /// <summary>A result made on first read, from a seed drawn now (so what <paramref name="random"/> gives next does not depend on when it is read).</summary>
    public static Runs.RunEnding LaterResult(ref FakeRandom random, string url)
    {
        var seed = random.Int(int.MinValue, int.MaxValue);
        return Runs.RunEnding.CompletedWith(() =>
        {
            var own = new FakeRandom(seed);
            return Result(ref own, url);
        });
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
        return Parse(buffer.WrittenSpan);
    }

    public static ImmutableArray<string> Purposes(ref FakeRandom random, string url, int count)
    {
        var words = Words.Value;
        var purposes = ImmutableArray.CreateBuilder<string>(count);
        for (var i = 0; i < count; i++)
        {
            // Only the chosen wording is made.
            purposes.Add(i == 0 ? $"Navigating to {url}" : random.Int(0, 5) switch
            {
                0 => $"Clicking the \"{random.Pick(words.Departments)}\" link",
                1 => $"Typing \"{random.Pick(words.Adjectives)} {random.Pick(words.Products)}\" into the search box",
                2 => $"Scrolling to the {random.Pick(words.LoremWords)} section",
                3 => $"Extracting {random.Int(2, 20).ToString(CultureInfo.InvariantCulture)} items from the page",
                4 => "Closing a cookie banner",
                _ => $"Opening page {random.Int(2, 5).ToString(CultureInfo.InvariantCulture)} of the results",
            });
        }
        return purposes.MoveToImmutable();
    }

    public static (string Url, string Goal) UrlAndGoal(ref FakeRandom random)
    {
        var words = Words.Value;
        var product = random.Pick(words.ProductNames);
        var url = string.Format(CultureInfo.InvariantCulture, random.Pick(Sites), Uri.EscapeDataString(random.Pick(words.Products)));
        var goal = string.Format(CultureInfo.InvariantCulture, random.Pick(GoalTemplates),
            product, random.Int(3, 20), random.Pick(words.JobTitles), random.Pick(words.Cities), random.Pick(words.Companies), random.Pick(words.Departments));
        return (url, goal);
    }

    private static JsonElement Parse(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, FakeJsonContext.Wire.JsonElement);

    /// <summary>Bogus's words, drawn once with a fixed seed.</summary>
    private sealed class Pools
    {
        private Pools(Faker faker)
        {
            ProductNames = Draw(512, faker.Commerce.ProductName);
            Products = Draw(128, () => faker.Commerce.Product().ToLowerInvariant());
            Adjectives = Draw(128, () => faker.Commerce.ProductAdjective().ToLowerInvariant());
            Departments = Draw(64, () => faker.Commerce.Department());
            JobTitles = Draw(256, faker.Name.JobTitle);
            Cities = Draw(256, () => faker.Address.City());
            Companies = Draw(256, () => faker.Company.CompanyName());
            Sentences = Draw(256, () => faker.Lorem.Sentence(8));
            LoremWords = Draw(128, () => faker.Lorem.Word());
            Urls = Draw(256, () => faker.Internet.UrlWithPath("https"));
        }

        public string[] ProductNames { get; }
        public string[] Products { get; }
        public string[] Adjectives { get; }
        public string[] Departments { get; }
        public string[] JobTitles { get; }
        public string[] Cities { get; }
        public string[] Companies { get; }
        public string[] Sentences { get; }
        public string[] LoremWords { get; }
        public string[] Urls { get; }

        public static Pools Draw() => new(new Faker { Random = new Randomizer(20250101) });

        private static string[] Draw(int count, Func<string> next)
        {
            var items = new string[count];
            for (var i = 0; i < count; i++) items[i] = next();
            return items;
        }
    }
}

/// <summary>A seeded SplitMix64 sequence: the fake's cheap source of made-up choices (not for anything secret).</summary>
internal struct FakeRandom(int seed)
{
    private ulong _state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ 0xD1B54A32D192ED03UL;

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] (both included, as Bogus's Int).</summary>
    public int Int(int min, int max) => min + (int)(Next() % (ulong)((long)max - min + 1));

    public long Long(long min, long max) => min + (long)(Next() % (ulong)(max - min + 1));

    public double Double(double min, double max) => min + (Next() >> 11) * (1.0 / (1UL << 53)) * (max - min);

    public bool Chance(double probability) => (Next() >> 11) * (1.0 / (1UL << 53)) < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count - 1)];

    private ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
