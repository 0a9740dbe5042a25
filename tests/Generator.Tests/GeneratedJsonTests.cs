using System.Text.Json;
using Generator.Tests.Infrastructure;

namespace Generator.Tests;

/// <summary>
/// The generated readers and writers (run through System.Text.Json via the generated converters):
/// what the API sends reads and writes back semantically equal, including what the spec does not know.
/// </summary>
public sealed class GeneratedJsonTests
{
    private GeneratedAssembly _runs = null!;
    private GeneratedAssembly _petstore = null!;
    private GeneratedAssembly _names = null!;

    [OneTimeSetUp]
    public void Compile()
    {
        _runs = new GeneratedAssembly(new SpecInput(TestPaths.RunsSpec, File.ReadAllText(TestPaths.RunsSpec), "TinyFish.Runs", "TinyFishClient"));
        _petstore = new GeneratedAssembly(GeneratorHarness.Spec("petstore.openapi.yaml"));
        _names = new GeneratedAssembly(GeneratorHarness.Spec("names.openapi.json", ns: "Test.Names"));
    }

    [OneTimeTearDown]
    public void Unload()
    {
        _runs.Dispose();
        _petstore.Dispose();
        _names.Dispose();
    }

    private const string RunJson = """
        {"run_id":"run_1","status":"PAUSED","goal":"Find the price","created_at":"2025-01-01T00:00:00Z",
         "started_at":null,"finished_at":"2025-01-01T00:01:02.5Z","num_of_steps":3,
         "result":{"price":"$10","nested":[1,{"a":null}]},"error":null,
         "streaming_url":"https://stream.example/1","browser_config":null,
         "steps":[{"id":"s1","timestamp":"2025-01-01T00:00:01Z","purpose":"Open the page","brand_new":true}],
         "surprise":{"kept":"as is"}}
        """;

    [Test]
    public void Run_with_unknown_status_and_unknown_fields_writes_back_equal()
    {
        var written = _runs.RoundTrip("Run", RunJson);

        Assert.That(GeneratedAssembly.SameJson(written, RunJson), Is.True, written);
    }

    [Test]
    public void Unknown_enum_value_is_kept_and_not_known()
    {
        var run = _runs.Read("Run", RunJson);
        var status = run.GetType().GetProperty("Status")!.GetValue(run)!;

        Assert.That(status.ToString(), Is.EqualTo("PAUSED"));
        Assert.That(status.GetType().GetProperty("IsKnown")!.GetValue(status), Is.False);
        var pending = status.GetType().GetProperty("Pending")!.GetValue(null)!;
        Assert.That(pending.GetType().GetProperty("IsKnown")!.GetValue(pending), Is.True);
    }

    [Test]
    public void Unknown_properties_are_kept_in_AdditionalProperties()
    {
        var run = _runs.Read("Run", RunJson);
        var extra = (IReadOnlyDictionary<string, JsonElement>)run.GetType().GetProperty("AdditionalProperties")!.GetValue(run)!;

        Assert.That(extra.Keys, Is.EquivalentTo(new[] { "surprise" }));
        Assert.That(extra["surprise"].GetProperty("kept").GetString(), Is.EqualTo("as is"));
        Assert.That(extra.ToString(), Is.EqualTo("""{"surprise":{"kept":"as is"}}"""), "kept as the raw JSON it came as");
    }

    [Test]
    public void Union_reads_each_known_variant_as_its_record()
    {
        var progress = _runs.Read("RunEvent", """{"type":"PROGRESS","run_id":"r","purpose":"Clicking","timestamp":"2025-01-01T00:00:04Z"}""");

        Assert.That(progress.GetType().Name, Is.EqualTo("ProgressEvent"));
        Assert.That(progress.GetType().GetProperty("Purpose")!.GetValue(progress), Is.EqualTo("Clicking"));
        Assert.That(progress.GetType().GetProperty("Type")!.GetValue(progress), Is.EqualTo("PROGRESS"));
    }

    [Test]
    public void Unknown_union_variant_keeps_its_raw_json_and_writes_it_back()
    {
        const string json = """{"type":"SCREENSHOT","run_id":"r","image":{"w":1,"h":2}}""";

        var value = _runs.Read("RunEvent", json);

        Assert.That(value.GetType().Name, Is.EqualTo("UnknownRunEvent"));
        Assert.That(value.GetType().GetProperty("Type")!.GetValue(value), Is.EqualTo("SCREENSHOT"));
        Assert.That(GeneratedAssembly.SameJson(_runs.Write("RunEvent", value), json), Is.True);
    }

    [Test]
    public void Known_variant_with_unknown_fields_writes_back_equal_with_its_discriminator()
    {
        const string json = """{"type":"COMPLETE","run_id":"r","status":"COMPLETED","timestamp":"2025-01-01T00:00:12Z","result":{"title":"Example"},"error":null,"cost":{"credits":2}}""";

        var written = _runs.RoundTrip("RunEvent", json);

        Assert.That(GeneratedAssembly.SameJson(written, json), Is.True, written);
    }

    [Test]
    public void Property_names_match_ignoring_case_and_underscores_when_not_exact()
    {
        var started = _runs.Read("RunEvent", """{"type":"STARTED","runId":"r9","Timestamp":"2025-01-01T00:00:00Z"}""");

        Assert.That(started.GetType().GetProperty("RunId")!.GetValue(started), Is.EqualTo("r9"));
    }

    [Test]
    public void Missing_required_property_is_a_JsonException_naming_it()
    {
        var error = Assert.Throws<JsonException>(() => _runs.Read("RunEvent", """{"type":"STARTED","timestamp":"2025-01-01T00:00:00Z"}"""));

        Assert.That(error!.Message, Does.Contain("run_id"));
    }

    [Test]
    public void Discriminated_pets_round_trip_including_an_unknown_species()
    {
        const string page = """
            {"pets":[
              {"petType":"cat","id":1,"name":"Tom","tag":null,"indoor":true,"livesLeft":9,"whiskers":12},
              {"petType":"dog","id":2,"name":"Rex","packSize":3,"favouriteToys":["ball"],"born":"2020-02-29"},
              {"petType":"hamster","id":3,"name":"Hammy","wheel":true}
            ],"paging":{"continue_from":"abc","total":3}}
            """;

        var value = _petstore.Read("PetPage", page);
        var pets = ((System.Collections.IEnumerable)value.GetType().GetProperty("Pets")!.GetValue(value)!).Cast<object>().Select(p => p.GetType().Name);

        Assert.That(pets, Is.EqualTo(new[] { "Cat", "Dog", "UnknownPet" }));
        // "tag": null on an optional property is dropped on write; everything else comes back.
        Assert.That(GeneratedAssembly.SameJson(_petstore.Write("PetPage", value), page.Replace("\"tag\":null,", "")), Is.True);
    }

    [Test]
    public void Open_enum_list_dictionary_decimal_and_uuid_values_round_trip()
    {
        const string order = """{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","status":"lost-in-transit","price":12.50,"notes":{"gift":"yes"},"shipDate":"2025-05-01T10:00:00+02:00","quantity":2,"complete":false}""";

        var written = _petstore.RoundTrip("Order", order);

        Assert.That(GeneratedAssembly.SameJson(written, order), Is.True, written);
    }

    [Test]
    public void Awkward_names_nested_lists_maps_and_deep_objects_round_trip()
    {
        const string thing = """
            {"thing":"t","class":"c","event":null,"2fa_enabled":true,"x-rate-limit":9007199254740993,
             "AdditionalProperties":"a property of that name","id":"0f8fad5b-d9cb-469f-a165-70867728950e",
             "blob":"AQID","home":"relative/path","ratio":0.25,"matrix":[[1,null],[]],"labels":{"a":["x","y"]},
             "extra":{"free":["form"]},"anything":42,"choice":"either","mood":"meh",
             "clone":"c","get_type":3,"finalize":false,"copy_mode":"memberwise_clone","copy":{"clone":"deep","depth":2},
             "level1":{"level2":{"level3":{"deepest":"a-b","unknown":1}}},"not_in_spec":[true]}
            """;

        var written = _names.RoundTrip("Thing", thing);

        // "event": null is optional and nullable: dropped on write.
        Assert.That(GeneratedAssembly.SameJson(written, thing.Replace("\"event\":null,", "")), Is.True, written);
    }

    [Test]
    public void Names_records_do_not_allow_or_object_has_are_given_another()
    {
        Assert.That(_names.Type("Thing").GetProperty("Clone2"), Is.Not.Null);
        Assert.That(_names.Type("Thing").GetProperty("GetType2"), Is.Not.Null);
        Assert.That(_names.Type("ThingCopyMode").GetProperty("MemberwiseCloneValue"), Is.Not.Null);
        Assert.That(_names.Type("ThingCopy").GetProperty("CloneValue"), Is.Not.Null, "the discriminator property");
    }

    [Test]
    public void Union_inferred_from_a_const_property_reads_its_variants()
    {
        var shape = _names.Read("Shape", """{"kind":"square","side":2}""");

        Assert.That(shape.GetType().Name, Is.EqualTo("Square"));
        Assert.That(GeneratedAssembly.SameJson(_names.Write("Shape", shape), """{"kind":"square","side":2}"""), Is.True);
    }
}
