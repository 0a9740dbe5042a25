using System.Globalization;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>The query of <c>GET /v1/runs</c>, validated, and the fingerprint of its filters that cursors are bound to.</summary>
internal sealed record ListQuery(RunQuery Query, string Fingerprint)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxGoalLength = 500;

    public static ListQuery? Read(HttpContext context, FakeState state, ValidationErrors errors)
    {
        var query = new QueryReader(context, errors, state.Options.RejectUnknownFields,
            "status", "goal", "created_after", "created_before", "sort_direction", "cursor", "limit");
        RunStatus? status = null;
        if (query.String("status") is { } statusText)
        {
            if (RunStatusNames.TryParse(statusText, out var parsed)) status = parsed;
            else errors.Add("status", "must be one of PENDING, RUNNING, COMPLETED, FAILED, CANCELLED");
        }
        var goal = query.String("goal");
        if (goal is { Length: > MaxGoalLength }) errors.Add("goal", $"must be at most {MaxGoalLength} characters");
        var after = query.Instant("created_after");
        var before = query.Instant("created_before");
        var descending = query.Enum("sort_direction", "asc", "desc") != "asc";
        var limit = query.Integer("limit", 1, MaxLimit, DefaultLimit);
        if (errors.Any) return null;

        var fingerprint = string.Join('|',
            status?.ToWire() ?? "",
            goal?.ToUpperInvariant() ?? "",
            after?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "",
            before?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "");
        RunKey? position = null;
        if (query.String("cursor") is { } cursor)
        {
            position = state.Cursors.Decode(cursor, descending, fingerprint);
            if (position is null)
            {
                errors.Add("cursor", "is not a cursor this server issued for these filters and sort direction (altered, foreign, or from another query)");
                return null;
            }
        }
        return new ListQuery(new RunQuery(status, goal, after, before, descending, limit, position), fingerprint);
    }
}
