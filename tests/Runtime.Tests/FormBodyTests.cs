using System.Text;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

public class FormBodyTests
{
    private static IReadOnlyList<KeyValuePair<string, string>> Fields(string json) => FormBody.Fields(Encoding.UTF8.GetBytes(json));

    private static KeyValuePair<string, string> Field(string key, string value) => new(key, value);

    [Test]
    public void Top_level_values_are_fields_in_order_and_nulls_are_left_out()
    {
        var fields = Fields("""{"name":"Rex","age":7,"weight":12.50,"indoor":false,"owner":null}""");

        Assert.That(fields, Is.EqualTo(new[] { Field("name", "Rex"), Field("age", "7"), Field("weight", "12.50"), Field("indoor", "false") }));
    }

    [Test]
    public void A_top_level_array_repeats_its_key_and_nested_values_use_brackets()
    {
        var fields = Fields("""{"tag":["a","b"],"owner":{"name":"Ann","phones":["1","2"]},"items":[{"price":5,"qty":1}],"grid":[[1]]}""");

        Assert.That(fields, Is.EqualTo(new[]
        {
            Field("tag", "a"), Field("tag", "b"),
            Field("owner[name]", "Ann"), Field("owner[phones][0]", "1"), Field("owner[phones][1]", "2"),
            Field("items[0][price]", "5"), Field("items[0][qty]", "1"),
            Field("grid[0][0]", "1"),
        }));
    }

    [Test]
    public void Keys_and_values_are_escaped_as_RFC_3986_data()
    {
        var body = Encoding.ASCII.GetString(FormBody.Encode(Encoding.UTF8.GetBytes("""{"q":"a b&c=d/é","meta":{"k 1":"+"}}""")));

        Assert.That(body, Is.EqualTo("q=a%20b%26c%3Dd%2F%C3%A9&meta%5Bk%201%5D=%2B"));
    }

    [TestCase("[1,2]")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    public void A_body_that_is_not_a_JSON_object_is_refused(string json)
    {
        Assert.That(() => Fields(json), Throws.ArgumentException.With.Message.Contains("A form body is a JSON object"));
    }
}
