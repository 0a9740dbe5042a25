using System.Net;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>
/// A parameter that is not a simple type, as <see cref="ApiRequest.WithParameter{T}"/> sends it: written by its JSON
/// writer (here the JSON itself), then spread by OpenAPI's style rules.
/// </summary>
public class ParameterTextTests
{
    private static readonly JsonWriteAction<string> Raw = static (writer, json) => writer.WriteRawValue(json);

    private static string Query(string json, ApiParameterStyle style, bool explode, string name = "p") =>
        new ApiRequest(HttpMethod.Get, "/items", "list", idempotent: true)
            .WithQuery("first", "1")
            .WithParameter(ApiParameterLocation.Query, name, json, Raw, style, explode)
            .RelativeUri;

    private static string Path(string json, ApiParameterStyle style, bool explode) =>
        new ApiRequest(HttpMethod.Get, "/items/{p}/x", "get", idempotent: true)
            .WithParameter(ApiParameterLocation.Path, "p", json, Raw, style, explode)
            .RelativeUri;

    [TestCase("""{"gt":1,"lte":9}""", "items?first=1&created%5Bgt%5D=1&created%5Blte%5D=9", TestName = "deepObject: an object's properties in brackets")]
    [TestCase("5", "items?first=1&created=5", TestName = "deepObject: a scalar is name=value")]
    [TestCase("""["a","b"]""", "items?first=1&created=a&created=b", TestName = "deepObject: an array repeats the key")]
    [TestCase("""{"a":{"b":"c d"},"n":null,"t":true}""", "items?first=1&created%5Ba%5D%5Bb%5D=c%20d&created%5Bt%5D=true", TestName = "deepObject: nested objects nest the brackets, nulls are left out")]
    [TestCase("""{"items":[{"price":5}]}""", "items?first=1&created%5Bitems%5D%5B0%5D%5Bprice%5D=5", TestName = "deepObject: an array of objects is indexed")]
    public void DeepObject(string json, string expected) =>
        Assert.That(Query(json, ApiParameterStyle.DeepObject, explode: true, name: "created"), Is.EqualTo(expected));

    [TestCase("""{"role":"admin","age":30,"gone":null}""", true, "items?first=1&role=admin&age=30")]
    [TestCase("""["79","284"]""", true, "items?first=1&p=79&p=284")]
    [TestCase("\"79\"", true, "items?first=1&p=79")]
    [TestCase("""{"role":"admin","age":30}""", false, "items?first=1&p=role%2Cadmin%2Cage%2C30")]
    [TestCase("""["a",null,"b c"]""", false, "items?first=1&p=a%2Cb%20c")]
    [TestCase("[]", false, "items?first=1&p=")]
    [TestCase("[]", true, "items?first=1")]
    [TestCase("null", true, "items?first=1")]
    public void Form(string json, bool explode, string expected) =>
        Assert.That(Query(json, ApiParameterStyle.Form, explode), Is.EqualTo(expected));

    [Test]
    public void A_value_nested_deeper_than_form_spreads_is_sent_as_its_JSON_text() =>
        Assert.That(Query("""{"range":{"gt":1},"tags":["a"]}""", ApiParameterStyle.Form, explode: true),
            Is.EqualTo("items?first=1&range=%7B%22gt%22%3A1%7D&tags=%5B%22a%22%5D"));

    [TestCase(ApiParameterStyle.SpaceDelimited, """["a","b"]""", "items?first=1&p=a%20b")]
    [TestCase(ApiParameterStyle.PipeDelimited, """["a","b"]""", "items?first=1&p=a%7Cb")]
    [TestCase(ApiParameterStyle.SpaceDelimited, """{"R":100,"G":200}""", "items?first=1&p=R%20100%20G%20200")]
    public void Delimited(ApiParameterStyle style, string json, string expected) =>
        Assert.That(Query(json, style, explode: false), Is.EqualTo(expected));

    [TestCase(ApiParameterStyle.Simple, false, """{"R":100,"G":"a b"}""", "items/R%2C100%2CG%2Ca%20b/x", TestName = "simple: keys and values, escaped whole as WithPath does")]
    [TestCase(ApiParameterStyle.Simple, true, """{"R":100,"G":200}""", "items/R%3D100%2CG%3D200/x", TestName = "simple exploded: key=value pairs")]
    [TestCase(ApiParameterStyle.Simple, false, """[1,2]""", "items/1%2C2/x", TestName = "simple: an array's items")]
    [TestCase(ApiParameterStyle.Label, false, """["a b","c"]""", "items/.a%20b,c/x", TestName = "label: one dot, then commas")]
    [TestCase(ApiParameterStyle.Label, true, """["a","c"]""", "items/.a.c/x", TestName = "label exploded: a dot per item")]
    [TestCase(ApiParameterStyle.Label, true, """{"R":100,"G":200}""", "items/.R=100.G=200/x", TestName = "label exploded: a dot per key=value")]
    [TestCase(ApiParameterStyle.Matrix, false, """{"R":100,"G":200}""", "items/;p=R,100,G,200/x", TestName = "matrix: the name, then keys and values")]
    [TestCase(ApiParameterStyle.Matrix, true, """["a","b"]""", "items/;p=a;p=b/x", TestName = "matrix exploded: the name per item")]
    [TestCase(ApiParameterStyle.Matrix, true, """{"R":100,"G":"x;y"}""", "items/;R=100;G=x%3By/x", TestName = "matrix exploded: key=value per property, pieces escaped")]
    [TestCase(ApiParameterStyle.Matrix, false, "\"blue\"", "items/;p=blue/x", TestName = "matrix: a scalar")]
    public void Paths(ApiParameterStyle style, bool explode, string json, string expected) =>
        Assert.That(Path(json, style, explode), Is.EqualTo(expected));

    [TestCase("""{"ids":[1,2],"n":null}""", "items?first=1&p=%7B%22ids%22%3A%5B1%2C2%5D%2C%22n%22%3Anull%7D", TestName = "json: an object's compact JSON text, nulls kept")]
    [TestCase("\"a b\"", "items?first=1&p=a%20b", TestName = "json: a string without its quotes")]
    [TestCase("null", "items?first=1", TestName = "json: a null value is left out")]
    public void Json_query(string json, string expected) =>
        Assert.That(Query(json, ApiParameterStyle.Json, explode: false), Is.EqualTo(expected));

    [Test]
    public void A_json_path_value_is_escaped_whole() =>
        Assert.That(Path("""{"a":"b/c"}""", ApiParameterStyle.Json, explode: false), Is.EqualTo("items/%7B%22a%22%3A%22b%2Fc%22%7D/x"));

    [Test]
    public void A_null_path_value_is_refused_and_a_null_query_value_left_out()
    {
        var request = new ApiRequest(HttpMethod.Get, "/items/{p}", "get", idempotent: true);

        Assert.That(() => request.WithParameter(ApiParameterLocation.Path, "p", (string?)null, Raw, ApiParameterStyle.Simple, explode: false), Throws.ArgumentNullException);
        Assert.That(() => request.WithParameter(ApiParameterLocation.Path, "p", "null", Raw, ApiParameterStyle.Label, explode: false), Throws.ArgumentNullException);
        Assert.That(request.WithParameter(ApiParameterLocation.Query, "q", (string?)null, Raw, ApiParameterStyle.Form, explode: true).RelativeUri, Is.EqualTo("items/{p}"));
    }

    [TestCase(ApiParameterLocation.Query, ApiParameterStyle.Matrix)]
    [TestCase(ApiParameterLocation.Path, ApiParameterStyle.DeepObject)]
    [TestCase(ApiParameterLocation.Header, ApiParameterStyle.Label)]
    public void A_style_the_location_does_not_allow_is_refused(ApiParameterLocation location, ApiParameterStyle style)
    {
        var request = new ApiRequest(HttpMethod.Get, "/items/{p}", "get", idempotent: true);

        Assert.That(() => request.WithParameter(location, "p", "[1]", Raw, style, explode: false), Throws.ArgumentException.With.Message.Contains(style.ToString()));
    }

    [Test]
    public async Task A_header_object_is_sent_as_keys_and_values_unescaped()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, new VirtualClock());
        var request = new ApiRequest(HttpMethod.Get, "/v1/runs", "listRuns", idempotent: true)
            .WithParameter(ApiParameterLocation.Header, "X-Range", """{"from":"a b","to":2}""", Raw, ApiParameterStyle.Simple, explode: true)
            .WithParameter(ApiParameterLocation.Header, "X-Tags", """["x","y"]""", Raw, ApiParameterStyle.Simple, explode: false);

        await pipeline.SendAsync(request, Item.Read, CancellationToken.None).Within();

        var sent = handler.Requests.Single();
        Assert.That(sent.Headers["X-Range"], Is.EqualTo("from=a b,to=2"));
        Assert.That(sent.Headers["X-Tags"], Is.EqualTo("x,y"));
    }
}
