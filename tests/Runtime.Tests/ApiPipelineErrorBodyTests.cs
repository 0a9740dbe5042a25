using System.Net;
using System.Text.Json;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>The typed error body (<see cref="ApiException.Body"/>) the pipeline reads with the readers a request registers.</summary>
public class ApiPipelineErrorBodyTests
{
    [Test]
    public void A_registered_status_puts_the_typed_body_on_the_exception_and_keeps_the_generic_envelope()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.NotFound, Envelope("NOT_FOUND", "no such run"));
        using var pipeline = Create(handler, new VirtualClock());

        var e = Assert.ThrowsAsync<ApiNotFoundException>(() => pipeline.SendAsync(GetRun().WithErrorBody(404, ErrorEnvelope.Read), Item.Read, CancellationToken.None).Within());

        Assert.That(e!.Body, Is.EqualTo(new ErrorEnvelope("NOT_FOUND", "no such run")));
        Assert.That(e.TryGetBody<ErrorEnvelope>(out var envelope), Is.True);
        Assert.That(envelope!.Code, Is.EqualTo("NOT_FOUND"));
        Assert.That(e.TryGetBody<FailedRun>(out _), Is.False);
        Assert.That(e.Code, Is.EqualTo("NOT_FOUND"));
        Assert.That(e.RawBody, Is.EqualTo(Envelope("NOT_FOUND", "no such run")));
    }

    [Test]
    public void After_retries_the_body_of_the_last_attempt_is_read()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.InternalServerError, Envelope("INTERNAL_ERROR", "first"))
            .ThenJson(HttpStatusCode.InternalServerError, Envelope("INTERNAL_ERROR", "last"));
        using var pipeline = Create(handler, new VirtualClock(), o =>
        {
            o.Retry.MaxRetries = 1;
            o.Retry.BaseDelay = TimeSpan.Zero;
        });

        var e = Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(GetRun().WithErrorBody(500, ErrorEnvelope.Read), Item.Read, CancellationToken.None).Within());
        Assert.That(handler.Count, Is.EqualTo(2));
        Assert.That(e!.Body, Is.EqualTo(new ErrorEnvelope("INTERNAL_ERROR", "last")));
    }

    [Test]
    public void A_body_that_does_not_fit_leaves_Body_null_and_the_ApiException_in_place()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.BadRequest, """{"error":{"code":"INVALID_INPUT","message":42}}""")
            .ThenJson(HttpStatusCode.BadRequest, "<html>bad gateway</html>");
        using var pipeline = Create(handler, new VirtualClock());

        var wrongShape = Assert.ThrowsAsync<ApiInvalidInputException>(() => pipeline.SendAsync(GetRun().WithErrorBody(400, ErrorEnvelope.Read), Item.Read, CancellationToken.None).Within());
        var notJson = Assert.ThrowsAsync<ApiInvalidInputException>(() => pipeline.SendAsync(GetRun().WithErrorBody(400, ErrorEnvelope.Read), Item.Read, CancellationToken.None).Within());

        Assert.That(wrongShape!.Body, Is.Null);
        Assert.That(wrongShape.Code, Is.EqualTo("INVALID_INPUT"));
        Assert.That(notJson!.Body, Is.Null);
        Assert.That(notJson.RawBody, Is.EqualTo("<html>bad gateway</html>"));
    }

    [Test]
    public void Variants_of_one_status_are_tried_in_order_and_the_first_whose_required_properties_are_present_wins()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.InternalServerError, """{"run_id":"run_1","status":"FAILED"}""")
            .ThenJson(HttpStatusCode.InternalServerError, Envelope("INTERNAL_ERROR", "boom"));
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.MaxRetries = 0);
        ApiRequest Request() => CreateRun()
            .WithErrorBody(500, FailedRun.Read, "run_id", "status")
            .WithErrorBody(500, ErrorEnvelope.Read, "error");

        var run = Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(Request(), Item.Read, CancellationToken.None).Within());
        var envelope = Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(Request(), Item.Read, CancellationToken.None).Within());

        Assert.That(run!.Body, Is.EqualTo(new FailedRun("run_1", "FAILED")));
        Assert.That(envelope!.Body, Is.EqualTo(new ErrorEnvelope("INTERNAL_ERROR", "boom")));
    }

    [Test]
    public void Required_properties_match_like_generated_readers_ignoring_case_and_separators()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.Conflict, """{"RunId":"run_1","Status":"FAILED"}""");
        using var pipeline = Create(handler, new VirtualClock());

        var e = Assert.ThrowsAsync<ApiConflictException>(() => pipeline.SendAsync(GetRun().WithErrorBody(409, FailedRun.Read, "run_id", "status"), Item.Read, CancellationToken.None).Within());

        Assert.That(e!.Body, Is.EqualTo(new FailedRun("run_1", "FAILED")));
    }

    [Test]
    public void The_exact_status_comes_before_its_range_and_the_range_before_default()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.NotFound, Envelope("NOT_FOUND", "exact"))
            .ThenJson(HttpStatusCode.Forbidden, Envelope("FORBIDDEN", "range"))
            .ThenJson(HttpStatusCode.ServiceUnavailable, Envelope("UNAVAILABLE", "default"));
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.MaxRetries = 0);
        ApiRequest Request() => GetRun()
            .WithDefaultErrorBody(static (ref Utf8JsonReader r) => "default:" + ErrorEnvelope.Read(ref r).Message)
            .WithErrorBodyRange(4, static (ref Utf8JsonReader r) => "4XX:" + ErrorEnvelope.Read(ref r).Message)
            .WithErrorBody(404, static (ref Utf8JsonReader r) => "404:" + ErrorEnvelope.Read(ref r).Message);

        var bodies = new List<object?>();
        for (var i = 0; i < 3; i++) bodies.Add(Assert.ThrowsAsync(Is.InstanceOf<ApiException>(), () => pipeline.SendAsync(Request(), Item.Read, CancellationToken.None).Within()) is ApiException e ? e.Body : "no exception");

        Assert.That(bodies, Is.EqualTo(new object[] { "404:exact", "4XX:range", "default:default" }));
    }

    [Test]
    public void A_registered_status_whose_body_does_not_fit_does_not_fall_back_to_default()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.NotFound, "{}");
        using var pipeline = Create(handler, new VirtualClock());
        var request = GetRun().WithErrorBody(404, ErrorEnvelope.Read).WithDefaultErrorBody(JsonPrimitivesElement);

        var e = Assert.ThrowsAsync<ApiNotFoundException>(() => pipeline.SendAsync(request, Item.Read, CancellationToken.None).Within());

        Assert.That(e!.Body, Is.Null);
    }

    [Test]
    public void A_status_without_a_reader_has_no_Body()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.Unauthorized, Envelope("INVALID_API_KEY", "bad key"));
        using var pipeline = Create(handler, new VirtualClock());

        var e = Assert.ThrowsAsync<ApiAuthenticationException>(() => pipeline.SendAsync(GetRun().WithErrorBody(404, ErrorEnvelope.Read), Item.Read, CancellationToken.None).Within());

        Assert.That(e!.Body, Is.Null);
        Assert.That(e.TryGetBody<ErrorEnvelope>(out _), Is.False);
        Assert.That(e.Code, Is.EqualTo("INVALID_API_KEY"));
    }

    [Test]
    public void An_API_key_echoed_in_the_body_is_redacted_in_the_typed_body_too()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.Unauthorized, Envelope("INVALID_API_KEY", "key " + Key + " is wrong"));
        using var pipeline = Create(handler, new VirtualClock());

        var e = Assert.ThrowsAsync<ApiAuthenticationException>(() => pipeline.SendAsync(GetRun().WithErrorBody(401, ErrorEnvelope.Read), Item.Read, CancellationToken.None).Within());

        Assert.That(e!.TryGetBody<ErrorEnvelope>(out var envelope), Is.True);
        Assert.That(envelope!.Message, Is.EqualTo("key *** is wrong"));
    }

    [Test]
    public void An_error_answered_instead_of_an_event_stream_carries_the_typed_body()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.BadRequest, Envelope("INVALID_INPUT", "goal is required"));
        using var pipeline = Create(handler, new VirtualClock());

        var e = Assert.ThrowsAsync<ApiInvalidInputException>(async () =>
        {
            await foreach (var _ in pipeline.StreamAsync(CreateRun().WithErrorBody(400, ErrorEnvelope.Read), Item.Read, CancellationToken.None)) { }
        });

        Assert.That(e!.Body, Is.EqualTo(new ErrorEnvelope("INVALID_INPUT", "goal is required")));
    }

    private static readonly JsonReadFunc<JsonElement> JsonPrimitivesElement = TinyFish.Toolkit.Runtime.Json.JsonPrimitives.ReadJsonElement;

    /// <summary>The error envelope with a hand-written reader that requires both fields, as a generated one would.</summary>
    private sealed record ErrorEnvelope(string Code, string Message)
    {
        public static ErrorEnvelope Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an object.");
            string? code = null, message = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (name != "error") { reader.Skip(); continue; }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var inner = reader.GetString();
                    reader.Read();
                    if (inner == "code") code = reader.GetString();
                    else if (inner == "message") message = reader.GetString();
                    else reader.Skip();
                }
            }
            return new ErrorEnvelope(code ?? throw new JsonException("Missing code."), message ?? throw new JsonException("Missing message."));
        }
    }

    /// <summary>A run-shaped error body whose reader accepts any object: only the required-property check tells it apart.</summary>
    private sealed record FailedRun(string? RunId, string? Status)
    {
        public static FailedRun Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an object.");
            string? id = null, status = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!.Replace("_", "").ToLowerInvariant();
                reader.Read();
                if (name == "runid") id = reader.GetString();
                else if (name == "status") status = reader.GetString();
                else reader.Skip();
            }
            return new FailedRun(id, status);
        }
    }
}
