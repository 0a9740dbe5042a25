using System.Net;
using Generator.Tests.Infrastructure;
using TinyFish.Toolkit.Runtime;

namespace Generator.Tests;

/// <summary>
/// The client generated from Specs/parameters.openapi.yaml, called against an in-memory stub: parameters whose values
/// are objects, unions and arrays, sent in each style of the query, the path and headers (the exact query strings and
/// headers), and schemas of several types (<c>type: [integer, string]</c>) as unions chosen by the kind of JSON value.
/// </summary>
public sealed class GeneratedParametersClientTests
{
    private GeneratedAssembly _api = null!;

    [OneTimeSetUp]
    public void Compile() => _api = new GeneratedAssembly(GeneratorHarness.Spec("parameters.openapi.yaml", ns: "Test.Parameters"));

    [OneTimeTearDown]
    public void Unload() => _api.Dispose();

    private static StubHandler Handler() => new(_ => (HttpStatusCode.OK, """{"data":[],"value":1}"""));

    private dynamic NewClient(StubHandler handler) =>
        Activator.CreateInstance(
            _api.Type("ParametersClient"),
            new ApiClientOptions { BaseAddress = new Uri("https://api.example/v1/"), Retry = new RetryOptions { MaxRetries = 0 } },
            new HttpClient(handler))!;

    /// <summary>A value of a generated type, read from JSON by its generated reader.</summary>
    private dynamic Value(string typeName, string json) => _api.Read(typeName, json);

    private static string Query(StubHandler handler) => new Uri(handler.Requests.Single().Uri).Query;

    [Test]
    public void The_generated_code_compiles_without_warnings_under_nullable() =>
        Assert.That(_api.Generation.CompileProblems(), Is.Empty);

    [Test]
    public void Parameters_of_objects_and_unions_have_their_generated_types()
    {
        var method = _api.Type("ParametersClient").GetMethod("ListChargesAsync")!;

        var types = method.GetParameters().ToDictionary(p => p.Name!, p => p.ParameterType.Name);
        Assert.That(types, Does.Contain(new KeyValuePair<string, string>("created", "ListChargesCreated"))
            .And.Contain(new KeyValuePair<string, string>("relationship", "Relationship"))
            .And.Contain(new KeyValuePair<string, string>("cwes", "StringOrStringList"))
            .And.Contain(new KeyValuePair<string, string>("limit", "IntegerOrString")));
    }

    [TestCase("""{"gt":1,"lte":9}""", "?created%5Bgt%5D=1&created%5Blte%5D=9")]
    [TestCase("5", "?created=5")]
    public async Task A_deepObject_union_sends_the_object_in_brackets_or_the_number_plainly(string created, string expected)
    {
        var handler = Handler();

        await NewClient(handler).ListChargesAsync(created: Value("ListChargesCreated", created));

        Assert.That(Query(handler), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_deepObject_object_of_booleans_sends_each_property_in_brackets()
    {
        var handler = Handler();

        await NewClient(handler).ListChargesAsync(relationship: Value("Relationship", """{"director":true,"owner":false}"""));

        Assert.That(Query(handler), Is.EqualTo("?relationship%5Bdirector%5D=true&relationship%5Bowner%5D=false"));
    }

    [Test]
    public async Task A_form_object_sends_its_properties_as_fields_exploded_and_as_one_list_otherwise()
    {
        var handler = Handler();

        await NewClient(handler).ListChargesAsync(filter: Value("ListChargesFilter", """{"role":"a b","active":false}"""), color: Value("Color", """{"R":1,"G":2}"""));

        Assert.That(Query(handler), Is.EqualTo("?role=a%20b&active=false&color=R%2C1%2CG%2C2"));
    }

    [TestCase("\"79\"", "?cwes=79")]
    [TestCase("""["79","284"]""", "?cwes=79&cwes=284")]
    public async Task A_string_or_array_query_parameter_repeats_its_name_per_item(string cwes, string expected)
    {
        var handler = Handler();

        await NewClient(handler).ListChargesAsync(cwes: Value("StringOrStringList", cwes));

        Assert.That(Query(handler), Is.EqualTo(expected));
    }

    [TestCase("25", "?limit=25")]
    [TestCase("\"all\"", "?limit=all")]
    public async Task A_parameter_of_several_types_sends_whichever_the_caller_chose(string limit, string expected)
    {
        var handler = Handler();

        await NewClient(handler).ListChargesAsync(limit: Value("IntegerOrString", limit));

        Assert.That(Query(handler), Is.EqualTo(expected));
    }

    [Test]
    public async Task Path_objects_and_arrays_are_sent_simple_label_and_matrix_and_a_header_object_exploded()
    {
        var handler = Handler();
        IReadOnlyList<string> shade = ["dark", "x y"];

        await NewClient(handler).GetPointAsync(Value("Color", """{"R":1,"G":2}"""), shade, Value("Color", """{"R":3,"G":4}"""),
            xColor: Value("Color", """{"R":5,"G":6}"""), xTags: (IReadOnlyList<string>)["a", "b"]);

        var request = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(new Uri(request.Uri).AbsolutePath, Is.EqualTo("/v1/points/R%2C1%2CG%2C2/shades.dark.x%20y;R=3;G=4"));
            Assert.That(request.Headers, Does.Contain("X-Color: R=5,G=6"));
            Assert.That(request.Headers, Does.Contain("X-Tags: a,b"), "a simple array header, as before");
        });
    }

    [Test]
    public async Task A_scalar_path_parameter_in_matrix_style_is_sent_as_a_matrix_parameter()
    {
        var handler = Handler();

        await NewClient(handler).GetLevelAsync((int?)5);

        Assert.That(new Uri(handler.Requests.Single().Uri).AbsolutePath, Is.EqualTo("/v1/levels/;level=5"));
    }

    [Test]
    public async Task Optional_parameters_left_null_are_not_sent()
    {
        var handler = Handler();

        await NewClient(handler).ListChargesAsync();

        Assert.That(Query(handler), Is.Empty);
    }

    [TestCase("""{"value":3,"note":"n","size":{"x":1.5,"y":2}}""", "Number", "Fields")]
    [TestCase("""{"value":"three","size":"large"}""", "Text", "Text")]
    [TestCase("""{"value":4,"size":12.5}""", "Number", "Number")]
    public void A_property_of_several_types_is_a_union_chosen_by_the_kind_of_JSON_value(string json, string valueVariant, string sizeVariant)
    {
        var measure = _api.Read("Measure", json);

        Assert.Multiple(() =>
        {
            Assert.That(GeneratedAssembly.Get(measure, "Value")!.GetType().Name, Is.EqualTo(valueVariant));
            Assert.That(GeneratedAssembly.Get(measure, "Size")!.GetType().Name, Is.EqualTo(sizeVariant));
            Assert.That(GeneratedAssembly.SameJson(_api.Write("Measure", measure), json), "written back as read");
        });
    }

    [Test]
    public void Type_with_null_stays_a_nullable_type_not_a_union() =>
        Assert.That(_api.Type("Measure").GetProperty("Note")!.PropertyType, Is.EqualTo(typeof(string)));

    [Test]
    public void Only_the_value_nested_deeper_than_its_style_spreads_is_reported_at_its_parameter()
    {
        var warnings = _api.Generation.Diagnostics("TFG0003");

        var warning = warnings.Single();
        var lines = File.ReadLines(Path.Combine(TestPaths.Specs, "parameters.openapi.yaml")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(warning.GetMessage(), Does.Contain("'window'").And.Contain("the property 'range'").And.Contain("JSON text"));
            Assert.That(warning.Location.GetLineSpan().StartLinePosition.Line, Is.EqualTo(lines.FindIndex(l => l.Trim() == "- name: window")));
        });
    }

    [Test]
    public async Task A_free_form_parameter_is_a_JsonElement_spread_by_its_style()
    {
        var handler = Handler();
        using var filter = System.Text.Json.JsonDocument.Parse("""{"expires_at":"2030-01-01","size":3}""");

        await NewClient(handler).SearchAsync("x", filter: filter.RootElement);

        Assert.That(Query(handler), Is.EqualTo("?expires_at=2030-01-01&size=3"));
    }

    [Test]
    public async Task Parameters_described_by_json_content_have_their_schemas_types_and_are_sent_as_JSON_text()
    {
        var handler = Handler();
        using var extra = System.Text.Json.JsonDocument.Parse("""{"tags":["a b"]}""");

        await NewClient(handler).SearchAsync("x/1", q: Value("Relationship", """{"owner":true}"""), extra: extra.RootElement, xIds: new List<int> { 1, 2 });

        var request = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(new Uri(request.Uri).AbsolutePath, Is.EqualTo("/v1/searches/x%2F1"), "a string as it is, escaped");
            Assert.That(new Uri(request.Uri).Query, Is.EqualTo("?q=%7B%22owner%22%3Atrue%7D&extra=%7B%22tags%22%3A%5B%22a%20b%22%5D%7D"));
            Assert.That(request.Headers, Does.Contain("X-Ids: [1,2]"));
        });
    }
}
