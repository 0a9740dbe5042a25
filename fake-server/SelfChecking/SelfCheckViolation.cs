using System.Globalization;
using System.Text;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// A response (or one event of a stream) the fake sent that breaks the spec: which request, which
/// part of the answer, and every rule it broke.
/// </summary>
/// <param name="Method">The request's method.</param>
/// <param name="Path">The request's path (with the query string).</param>
/// <param name="OperationId">The spec operation the request reached, or null when it reached none (an unknown path, a wrong method).</param>
/// <param name="StatusCode">The status the fake meant to send (the client got a 500 <c>SELF_CHECK_FAILED</c> instead, when it could still be changed).</param>
/// <param name="Part">What broke: <c>body</c>, <c>event 3</c> (the 3rd event of a stream), <c>header Retry-After</c>, <c>status</c> or <c>content type</c>.</param>
/// <param name="Errors">The rules broken, each with the JSON path of the value and the schema location.</param>
/// <param name="Content">The offending JSON or text (cut at 4,096 characters).</param>
public sealed record SelfCheckViolation(
    string Method,
    string Path,
    string? OperationId,
    int StatusCode,
    string Part,
    IReadOnlyList<SelfCheckError> Errors,
    string Content)
{
    /// <summary>One line per broken rule, under a line naming the request.</summary>
    public override string ToString()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Method} {Path} → {StatusCode}")
            .Append(OperationId is null ? " (no operation)" : $" ({OperationId})")
            .Append(CultureInfo.InvariantCulture, $", {Part}:");
        foreach (var error in Errors) text.Append("\n    ").Append(error);
        return text.ToString();
    }
}

/// <summary>One schema rule a value broke.</summary>
/// <param name="Path">Where the value is, as a JSONPath (<c>$.data[0].result</c>).</param>
/// <param name="Rule">The JSON Schema keyword (<c>type</c>, <c>required</c>, <c>format</c>, ...) or the self-check's own rule (<c>status</c>, <c>content-type</c>, <c>json</c>, <c>sse</c>).</param>
/// <param name="Message">What is wrong.</param>
/// <param name="SchemaLocation">The schema that holds the rule, in the spec (<c>#/components/schemas/Run/properties/result</c>).</param>
public sealed record SelfCheckError(string Path, string Rule, string Message, string SchemaLocation)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Rule}: {Message} [{SchemaLocation}]";
}
