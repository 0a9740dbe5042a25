using TinyFish.Toolkit.Generator.Helpers;

namespace Generator.Tests;

/// <summary>Spec names become valid, readable C# identifiers.</summary>
public sealed class NamingTests
{
    [TestCase("run_id", "RunId")]
    [TestCase("STREAMING_URL", "StreamingUrl")]
    [TestCase("getRun", "GetRun")]
    [TestCase("X-API-Key", "XApiKey")]
    [TestCase("2fa_enabled", "_2faEnabled")]
    [TestCase("v1beta", "V1beta")]
    [TestCase("", "_")]
    [TestCase("+1", "Plus1")]
    [TestCase("-1", "Minus1")]
    [TestCase("-", "_")]
    public void Pascal_case(string name, string expected) => Assert.That(Naming.Pascal(name), Is.EqualTo(expected));

    [TestCase("sort_direction", "sortDirection")]
    [TestCase("class", "@class")]
    [TestCase("event", "@event")]
    [TestCase("2nd-opinion", "_2ndOpinion")]
    public void Camel_case_escapes_keywords(string name, string expected) => Assert.That(Naming.Camel(name), Is.EqualTo(expected));

    [Test]
    public void Unique_appends_the_lowest_free_number()
    {
        var used = new HashSet<string> { "Run", "Run2" };

        Assert.That(Naming.Unique("Run", used), Is.EqualTo("Run3"));
        Assert.That(Naming.Unique("Step", used), Is.EqualTo("Step"));
    }

    [Test]
    public void Unique_separates_the_number_from_a_name_that_ends_in_a_digit()
    {
        var used = new HashSet<string> { "V1" };

        Assert.That(Naming.Unique("V1", used), Is.EqualTo("V1_2"));
    }

    [TestCase("My.Api", "My.Api")]
    [TestCase("my-app.v2.class", "MyApp.v2.Class")]
    [TestCase("", "Generated")]
    public void Namespace_is_made_of_identifiers(string value, string expected) => Assert.That(Naming.Namespace(value), Is.EqualTo(expected));

    [Test]
    public void Member_names_reserve_what_records_and_object_have_and_what_the_type_adds()
    {
        var names = Naming.MemberNames("Thing", "AdditionalProperties");

        Assert.That(names, Does.Contain("Clone").And.Contain("EqualityContract").And.Contain("GetType").And.Contain("Thing").And.Contain("AdditionalProperties"));
        Assert.That(Naming.IsReservedMember("PrintMembers"), Is.True);
        Assert.That(Naming.IsReservedMember("Thing"), Is.False);
    }
}
