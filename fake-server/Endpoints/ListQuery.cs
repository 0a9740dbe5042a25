using System.Globalization;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>The query of <c>GET /v1/runs</c>, validated, and the fingerprint of its filters that cursors are bound to.</summary>
internal sealed record ListQuery(RunQuery Query, string Fingerprint)
{
    public const int DefaultLimit = 20;

    /// <summary>The query, read after the spec's rules accepted it; null with the problems recorded when an instant or the cursor is bad.</summary>
    public static ListQuery? Read(QueryReader query, CursorCodec cursors, ValidationErrors errors)
    {
        RunStatus? status = query.String("status") is { } statusText && RunStatusNames.TryParse(statusText, out var parsed) ? parsed : null;
        var goal = query.String("goal");
        var after = query.Instant("created_after", errors);
        var before = query.Instant("created_before", errors);
        var descending = query.String("sort_direction") != "asc";
        var limit = query.Integer("limit", DefaultLimit);
        if (errors.Any) return null;

        var fingerprint = string.Join('|',
            status?.ToWire() ?? "",
            goal?.ToUpperInvariant() ?? "",
            after?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "",
            before?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "");
        RunKey? position = null;
        if (query.String("cursor") is { } cursor)
        {
            position = cursors.Decode(cursor, descending, fingerprint);
            if (position is null)
            {
                errors.Add("cursor", "is not a cursor this server issued for these filters and sort direction (altered, foreign, or from another query)");
                return null;
            }
        }
        return new ListQuery(new RunQuery(status, goal, after, before, descending, limit, position), fingerprint);
    }
}
