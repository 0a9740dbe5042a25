using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>Writes JSON answers and the API's error envelope.</summary>
internal static class HttpResponses
{
    public static async Task JsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task ErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<ErrorDetail>? details = null) =>
        JsonAsync(context, status, new ErrorEnvelope(new ErrorBody(code, message, details)), FakeJsonContext.Wire.ErrorEnvelope);

    public static Task InvalidInputAsync(HttpContext context, ValidationErrors errors) =>
        ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_INPUT", "Request validation failed", errors.Details);

    public static Task InvalidInputAsync(HttpContext context, string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return InvalidInputAsync(context, errors);
    }

    public static Task NotFoundAsync(HttpContext context, string message) =>
        ErrorAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", message);
}
