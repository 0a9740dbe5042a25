using System.Text.Json;
using TinyFish.FakeServer.SelfChecking;

namespace FakeServer.Tests;

/// <summary>The spec's schemas as the self-check evaluates them, and the messages it gives.</summary>
public sealed class SpecSchemasTests
{
    private static readonly string RunEvent = Pointer.Of("components", "schemas", "RunEvent");
    private static readonly string Run = Pointer.Of("components", "schemas", "Run");

    [Test]
    public void A_conforming_value_has_no_errors()
    {
        var errors = Validate(RunEvent, """{"type":"PROGRESS","run_id":"run_1","purpose":"Open the page","timestamp":"2025-01-01T00:00:04.5Z"}""");
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void The_discriminator_decides_which_oneOf_branch_is_reported()
    {
        var errors = Validate(RunEvent, """{"type":"STARTED","run_id":"run_1"}""");
        Assert.That(errors.Select(static error => (error.Path, error.Rule, error.SchemaLocation)),
            Is.EqualTo(new[] { ("$", "required", "#/components/schemas/StartedEvent") }));
    }

    [Test]
    public void An_unknown_discriminator_value_reports_every_branch()
    {
        var errors = Validate(RunEvent, """{"type":"PAUSED","run_id":"run_1","timestamp":"2025-01-01T00:00:00Z"}""");
        Assert.That(errors.Where(static error => error.Rule == "const").Select(static error => error.SchemaLocation).ToList(), Has.Count.EqualTo(5));
    }

    [Test]
    public void The_null_branch_of_a_nullable_object_is_not_reported()
    {
        var run = """
            {"run_id":"run_1","status":"FAILED","goal":"g","created_at":"2025-01-01T00:00:00Z","started_at":"2025-01-01T00:00:01Z",
             "finished_at":"not a date","num_of_steps":-1,"result":null,"error":{"message":"m","category":"OOPS","retry_after":null},
             "streaming_url":null,"browser_config":null}
            """;
        var errors = Validate(Run, run);
        Assert.That(errors.Select(static error => $"{error.Path} {error.Rule}"), Is.EquivalentTo(new[]
        {
            "$.finished_at format", "$.num_of_steps minimum", "$.error.category enum",
        }));
    }

    [Test]
    public void Paths_are_JSONPath_with_indices_and_quoted_odd_keys()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SpecSchemas.JsonPath(""), Is.EqualTo("$"));
            Assert.That(SpecSchemas.JsonPath("/data/0/result"), Is.EqualTo("$.data[0].result"));
            Assert.That(SpecSchemas.JsonPath("/a~1b/c d"), Is.EqualTo("$['a/b']['c d']"));
        });
    }

    [Test]
    public void A_page_is_checked_item_by_item_yet_one_broken_run_among_runs_seen_before_is_still_reported()
    {
        var page = Pointer.Of("components", "schemas", "ListRunsResponse");
        const string good = """{"run_id":"run_1","status":"COMPLETED","goal":"g","created_at":"2025-01-01T00:00:00Z","started_at":null,"finished_at":null,"num_of_steps":null,"result":{"a":1},"error":null,"streaming_url":null,"browser_config":null}""";
        const string bad = """{"run_id":"run_2","status":"COMPLETED","goal":"g","created_at":"2025-01-01T00:00:00Z","started_at":null,"finished_at":null,"num_of_steps":null,"result":"text","error":null,"streaming_url":null,"browser_config":null}""";
        const string pagination = """{"total":2,"next_cursor":null,"has_more":false}""";
        Assert.That(Validate(page, $$"""{"data":[{{good}}],"pagination":{{pagination}}}"""), Is.Empty);
        Assert.That(Validate(page, $$"""{"data":[{{good}}],"pagination":{{pagination}}}"""), Is.Empty, "the same page again, from what is known");

        var errors = Validate(page, $$"""{"data":[{{good}},{{bad}}],"pagination":{{pagination}}}""");
        var broken = Validate(page, "{\"data\":[" + good + "],\"pagination\":{\"total\":\"2\",\"next_cursor\":null,\"has_more\":false}}");

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(static error => $"{error.Path} {error.Rule}"), Is.EqualTo(new[] { "$.data[1].result type" }));
            Assert.That(broken.Select(static error => $"{error.Path} {error.Rule}"), Is.EqualTo(new[] { "$.pagination.total type" }));
        });
    }

    private static IReadOnlyList<SelfCheckError> Validate(string pointer, string json)
    {
        using var document = JsonDocument.Parse(json);
        return SpecSchemas.Embedded.Validate(pointer, document.RootElement);
    }
}
