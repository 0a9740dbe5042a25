using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>How a response's body is checked, decided when its first byte is written (or when it ends empty).</summary>
internal enum BodyMode
{
    /// <summary>JSON: held back until complete, checked, then sent — or replaced by a 500 <c>SELF_CHECK_FAILED</c>.</summary>
    Buffer,

    /// <summary>Server-Sent Events: each frame is checked before it is passed on; a bad one aborts the stream.</summary>
    Events,

    /// <summary>Anything else (the live view's HTML and PNGs): passed on unchecked.</summary>
    PassThrough,
}

/// <summary>The self-check of one response: which schema applies, and the violations found so far.</summary>
internal sealed class ResponseCheck
{
    private const int MaxContent = 4096;

    private readonly HttpContext _context;
    private readonly SpecSchemas _schemas;
    private readonly SelfCheckLog _log;
    private readonly SpecOperation? _operation;
    private readonly string _path;
    private int _events;

    public ResponseCheck(HttpContext context, SpecSchemas schemas, SelfCheckLog log)
    {
        _context = context;
        _schemas = schemas;
        _log = log;
        _path = $"{context.Request.Path}{context.Request.QueryString}";
        _operation = schemas.Spec.Find(context.Request.Method, context.Request.Path.Value ?? "/");
    }

    /// <summary>The schema the body (or each event) must match; null when nothing is checked.</summary>
    public string? SchemaPointer { get; private set; }

    /// <summary>Violations of the status, content type or headers, found when the mode was decided.</summary>
    public List<SelfCheckViolation> Found { get; } = [];

    /// <summary>Decides how the body is checked, and checks what is known before it: status, content type, headers.</summary>
    public BodyMode Decide(bool hasBody)
    {
        var response = _context.Response;
        var mediaType = (response.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var mode = mediaType switch
        {
            "application/json" => BodyMode.Buffer,
            _ when mediaType.EndsWith("+json", StringComparison.Ordinal) => BodyMode.Buffer,
            "text/event-stream" => BodyMode.Events,
            _ => BodyMode.PassThrough,
        };
        if (_operation is null || IsTransportError(response.StatusCode))
        {
            // Not an API operation (an unknown path, a wrong method, the live view), or an HTTP-level
            // refusal no operation documents (a body that stopped arriving): its errors are still
            // the API's envelope, and the live view's stream carries the run's events.
            SchemaPointer = mode switch
            {
                BodyMode.Buffer when response.StatusCode >= 400 => Pointer.Of("components", "schemas", "ErrorEnvelope"),
                BodyMode.Events => EventStreamSchema(),
                _ => null,
            };
            return mode;
        }
        var documented = _schemas.Spec.Response(_operation, response.StatusCode);
        if (documented is null)
        {
            Add("status", "$", "status", $"{response.StatusCode} is not a documented response of {_operation.OperationId} (documented: {string.Join(", ", _schemas.Spec.DocumentedStatuses(_operation))})", _operation.Pointer + "/responses");
            return mode;
        }
        foreach (var (name, schema) in documented.HeaderSchemas)
        {
            if (!response.Headers.TryGetValue(name, out var value)) continue;
            using var header = HeaderValue(value.ToString());
            foreach (var error in _schemas.Validate(schema, header.RootElement)) Add($"header {name}", error, $"{name}: {value}");
        }
        if (!hasBody) return mode;
        if (documented.Content.Count == 0)
        {
            Add("content type", "$", "content", $"the spec documents no body for {response.StatusCode}, but one was sent ({mediaType})", _operation.Pointer);
        }
        else if (!documented.Content.TryGetValue(mediaType, out var schemaPointer))
        {
            Add("content type", "$", "content", $"'{mediaType}' is not a documented media type of {response.StatusCode} (documented: {string.Join(", ", documented.Content.Keys)})", _operation.Pointer);
        }
        else
        {
            SchemaPointer = schemaPointer;
        }
        return mode;
    }

    /// <summary>Statuses of the HTTP layer that any request may get before its operation is looked at (the spec documents none of them per operation).</summary>
    private static bool IsTransportError(int status) => status is 408 or 413 or 414 or 431;

    /// <summary>The documented body is missing.</summary>
    public void CheckEmpty()
    {
        if (_operation is null || _context.Response.StatusCode is 204 or 304) return;
        if (_schemas.Spec.Response(_operation, _context.Response.StatusCode) is { Content.Count: > 0 } documented)
        {
            Add("body", "$", "content", $"the spec documents a body ({string.Join(", ", documented.Content.Keys)}) but none was sent", _operation.Pointer);
        }
    }

    /// <summary>Checks a whole JSON body; returns the violation, or null when it conforms.</summary>
    public SelfCheckViolation? CheckBody(ReadOnlyMemory<byte> body) => CheckJson("body", body);

    /// <summary>Checks one SSE frame (without its blank line); returns the violation, or null when it conforms.</summary>
    public SelfCheckViolation? CheckEvent(ReadOnlySpan<byte> frame)
    {
        var part = $"event {(++_events).ToString(CultureInfo.InvariantCulture)}";
        var text = Encoding.UTF8.GetString(frame);
        var data = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line[5..].StartsWith(' ') ? line[6..] : line[5..]);
            else if (line.Length > 0 && !line.StartsWith(':'))
            {
                return Violation(part, [new SelfCheckError("$", "sse", $"the spec's frames are one data: line only, not '{Cut(line, 80)}'", _operation?.Pointer ?? "")], text);
            }
        }
        if (data.Count != 1)
        {
            return Violation(part, [new SelfCheckError("$", "sse", $"a frame holds exactly one data: line, not {data.Count}", _operation?.Pointer ?? "")], text);
        }
        return CheckJson(part, Encoding.UTF8.GetBytes(data[0]));
    }

    public void Record(SelfCheckViolation violation) => _log.Record(violation);

    private SelfCheckViolation? CheckJson(string part, ReadOnlyMemory<byte> json)
    {
        if (SchemaPointer is not { } schema) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            return Violation(part, [new SelfCheckError("$", "json", $"is not JSON: {exception.Message}", "#" + schema)], Encoding.UTF8.GetString(json.Span));
        }
        using (document)
        {
            var errors = _schemas.Validate(schema, document.RootElement);
            return errors.Count == 0 ? null : Violation(part, errors, Encoding.UTF8.GetString(json.Span));
        }
    }

    private void Add(string part, string path, string rule, string message, string schemaPointer) =>
        Found.Add(Violation(part, [new SelfCheckError(path, rule, message, "#" + schemaPointer)], ""));

    private void Add(string part, SelfCheckError error, string content) => Found.Add(Violation(part, [error], content));

    private SelfCheckViolation Violation(string part, IReadOnlyList<SelfCheckError> errors, string content) =>
        new(_context.Request.Method, _path, _operation?.OperationId, _context.Response.StatusCode, part, errors, Cut(content, MaxContent));

    /// <summary>The schema of the spec's event stream (the one <c>text/event-stream</c> response), or null.</summary>
    private string? EventStreamSchema()
    {
        foreach (var operation in _schemas.Spec.Operations)
        {
            if (_schemas.Spec.Response(operation, StatusCodes.Status200OK)?.Content.TryGetValue("text/event-stream", out var schema) == true) return schema;
        }
        return null;
    }

    /// <summary>A header value as JSON: a number when it reads as one (Retry-After), else a string.</summary>
    private static JsonDocument HeaderValue(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonDocument.Parse(number.ToString(CultureInfo.InvariantCulture))
            : JsonDocument.Parse(JsonSerializer.Serialize(value, Json.FakeJsonContext.Wire.String));

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}
