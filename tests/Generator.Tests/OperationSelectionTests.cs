using TinyFish.Toolkit.Generator.Helpers;

namespace Generator.Tests;

/// <summary>The <c>Operations</c> metadata: which operations an entry names, and which entries named none.</summary>
public sealed class OperationSelectionTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase(" , ; ")]
    public void No_entries_select_every_operation(string? text)
    {
        var selection = OperationSelection.Parse(text);

        Assert.That(selection.IsEverything, Is.True);
        Assert.That(selection.Includes("GET", "/anything", null), Is.True);
        Assert.That(selection.Unmatched, Is.Empty);
    }

    [TestCase("listRuns", "GET", "/v1/runs", "listRuns", true)]
    [TestCase("ListRuns", "GET", "/v1/runs", "listRuns", true)]
    [TestCase("listRuns", "GET", "/v1/runs", "listRunsAll", false)]
    [TestCase("list*", "GET", "/v1/runs", "listRunsAll", true)]
    [TestCase("*Run", "DELETE", "/v1/runs/{id}", "cancelRun", true)]
    [TestCase("get*Run", "GET", "/v1/runs/{id}", "getRuns", false)]
    [TestCase("listRuns", "GET", "/v1/runs", null, false)]
    [TestCase("/v1/runs", "POST", "/v1/runs", "createRun", true)]
    [TestCase("/v1/runs", "GET", "/v1/runs/{id}", "getRun", false)]
    [TestCase("/v1/runs*", "GET", "/v1/runs/{id}/events", "getEvents", true)]
    [TestCase("/v1/*/events", "GET", "/v1/runs/{id}/events", "getEvents", true)]
    [TestCase("/v1/*/events", "GET", "/v1/runs/{id}/events/x", "getEvents", false)]
    [TestCase("/V1/runs", "GET", "/v1/runs", "listRuns", false)]
    [TestCase("GET /v1/runs", "GET", "/v1/runs", "listRuns", true)]
    [TestCase("get /v1/runs", "GET", "/v1/runs", "listRuns", true)]
    [TestCase("GET /v1/runs", "POST", "/v1/runs", "createRun", false)]
    [TestCase("POST   /v1/*", "POST", "/v1/runs", "createRun", true)]
    [TestCase("*a*a*", "GET", "/x", "banana", true)]
    [TestCase("*an*an*an*", "GET", "/x", "banana", false)]
    [TestCase("ba*na", "GET", "/x", "bana", true)]
    [TestCase("ab*ba", "GET", "/x", "aba", false)]
    public void An_entry_names_an_operation_by_id_path_or_method_and_path(string entry, string method, string path, string? operationId, bool expected)
    {
        Assert.That(OperationSelection.Parse(entry).Includes(method, path, operationId), Is.EqualTo(expected));
    }

    [Test]
    public void Entries_are_separated_by_commas_semicolons_or_new_lines_and_trimmed()
    {
        var selection = OperationSelection.Parse(" listRuns ,getRun;\n POST /v1/runs \r\n");

        Assert.Multiple(() =>
        {
            Assert.That(selection.Includes("GET", "/v1/runs", "listRuns"), Is.True);
            Assert.That(selection.Includes("GET", "/v1/runs/{id}", "getRun"), Is.True);
            Assert.That(selection.Includes("POST", "/v1/runs", "createRun"), Is.True);
            Assert.That(selection.Includes("DELETE", "/v1/runs/{id}", "cancelRun"), Is.False);
        });
    }

    [Test]
    public void Unmatched_lists_the_entries_no_operation_matched_as_written()
    {
        var selection = OperationSelection.Parse("listRuns, lsitRuns, GET /v2/*, /v1/runs");

        selection.Includes("GET", "/v1/runs", "listRuns");
        selection.Includes("POST", "/v1/runs/{id}/cancel", "cancelRun");

        Assert.That(selection.Unmatched, Is.EqualTo(new[] { "lsitRuns", "GET /v2/*" }));
    }
}
