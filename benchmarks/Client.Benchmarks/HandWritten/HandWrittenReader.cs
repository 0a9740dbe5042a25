using System.Text.Json;

namespace HandWritten;

/// <summary>
/// The limit: what a careful person writes by hand with <see cref="Utf8JsonReader"/> for these shapes,
/// no generality (property names compared as UTF-8 literals, unknown properties skipped).
/// </summary>
public static class HandWrittenReader
{
    public static ListRunsResponse ReadListRuns(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        List<Run>? data = null;
        int total = 0;
        string? next = null;
        var hasMore = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = new List<Run>();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) data.Add(ReadRun(ref reader));
            }
            else if (reader.ValueTextEquals("pagination"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("total"u8)) { reader.Read(); total = reader.GetInt32(); }
                    else if (reader.ValueTextEquals("next_cursor"u8)) { reader.Read(); next = reader.GetString(); }
                    else if (reader.ValueTextEquals("has_more"u8)) { reader.Read(); hasMore = reader.GetBoolean(); }
                    else { reader.Read(); reader.Skip(); }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new ListRunsResponse { Data = data ?? throw new JsonException("data is missing"), Total = total, NextCursor = next, HasMore = hasMore };
    }

    public static Run ReadRun(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadRun(ref reader);
    }

    public static QueueRunResponse ReadQueued(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        string? runId = null;
        RunError? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("run_id"u8);
            var isError = reader.ValueTextEquals("error"u8);
            reader.Read();
            if (isId) runId = reader.GetString();
            else if (isError) error = reader.TokenType == JsonTokenType.Null ? null : ReadError(ref reader);
            else reader.Skip();
        }
        return new QueueRunResponse { RunId = runId, Error = error };
    }

    public static RunEvent ReadEvent(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        string? type = null, runId = null, purpose = null, status = null;
        Uri? streamingUrl = null;
        DateTimeOffset timestamp = default;
        JsonElement? result = null;
        RunError? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = reader.GetString(); }
            else if (reader.ValueTextEquals("run_id"u8)) { reader.Read(); runId = reader.GetString(); }
            else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); timestamp = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("purpose"u8)) { reader.Read(); purpose = reader.GetString(); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); status = reader.GetString(); }
            else if (reader.ValueTextEquals("streaming_url"u8)) { reader.Read(); streamingUrl = new Uri(reader.GetString()!); }
            else if (reader.ValueTextEquals("result"u8)) { reader.Read(); result = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader); }
            else if (reader.ValueTextEquals("error"u8)) { reader.Read(); error = reader.TokenType == JsonTokenType.Null ? null : ReadError(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }
        return new RunEvent { Type = type!, RunId = runId, Timestamp = timestamp, Purpose = purpose, Status = status, StreamingUrl = streamingUrl, Result = result, Error = error };
    }

    private static Run ReadRun(ref Utf8JsonReader reader)
    {
        string? runId = null, status = null, goal = null, profileId = null;
        DateTimeOffset createdAt = default;
        DateTimeOffset? startedAt = null, finishedAt = null;
        int? steps = null;
        JsonElement? result = null;
        RunError? error = null;
        Uri? streamingUrl = null, streamingUrlAlias = null, videoUrl = null;
        BrowserConfig? browser = null;
        List<RunStep>? stepList = null;
        bool? profileAttached = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("run_id"u8)) { reader.Read(); runId = reader.GetString(); }
            else if (reader.ValueTextEquals("status"u8)) { reader.Read(); status = reader.GetString(); }
            else if (reader.ValueTextEquals("goal"u8)) { reader.Read(); goal = reader.GetString(); }
            else if (reader.ValueTextEquals("created_at"u8)) { reader.Read(); createdAt = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("started_at"u8)) { reader.Read(); startedAt = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("finished_at"u8)) { reader.Read(); finishedAt = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("num_of_steps"u8)) { reader.Read(); steps = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32(); }
            else if (reader.ValueTextEquals("result"u8)) { reader.Read(); result = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader); }
            else if (reader.ValueTextEquals("error"u8)) { reader.Read(); error = reader.TokenType == JsonTokenType.Null ? null : ReadError(ref reader); }
            else if (reader.ValueTextEquals("streaming_url"u8)) { reader.Read(); streamingUrl = reader.TokenType == JsonTokenType.Null ? null : new Uri(reader.GetString()!); }
            else if (reader.ValueTextEquals("streamingUrl"u8)) { reader.Read(); streamingUrlAlias = reader.TokenType == JsonTokenType.Null ? null : new Uri(reader.GetString()!); }
            else if (reader.ValueTextEquals("video_url"u8)) { reader.Read(); videoUrl = reader.TokenType == JsonTokenType.Null ? null : new Uri(reader.GetString()!); }
            else if (reader.ValueTextEquals("browser_config"u8)) { reader.Read(); browser = reader.TokenType == JsonTokenType.Null ? null : ReadBrowser(ref reader); }
            else if (reader.ValueTextEquals("steps"u8))
            {
                reader.Read();
                stepList = new List<RunStep>();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) stepList.Add(ReadStep(ref reader));
            }
            else if (reader.ValueTextEquals("profile_attached"u8)) { reader.Read(); profileAttached = reader.GetBoolean(); }
            else if (reader.ValueTextEquals("profile_id"u8)) { reader.Read(); profileId = reader.GetString(); }
            else { reader.Read(); reader.Skip(); }
        }
        return new Run
        {
            RunId = runId!, Status = status!, Goal = goal!, CreatedAt = createdAt, StartedAt = startedAt, FinishedAt = finishedAt,
            NumOfSteps = steps, Result = result, Error = error, StreamingUrl = streamingUrl, StreamingUrlAlias = streamingUrlAlias, BrowserConfig = browser, VideoUrl = videoUrl,
            Steps = stepList, ProfileAttached = profileAttached, ProfileId = profileId,
        };
    }

    private static RunStep ReadStep(ref Utf8JsonReader reader)
    {
        string? id = null, purpose = null, action = null, url = null, screenshot = null;
        DateTimeOffset timestamp = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { reader.Read(); id = reader.GetString(); }
            else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); timestamp = reader.GetDateTimeOffset(); }
            else if (reader.ValueTextEquals("purpose"u8)) { reader.Read(); purpose = reader.GetString(); }
            else if (reader.ValueTextEquals("action"u8)) { reader.Read(); action = reader.GetString(); }
            else if (reader.ValueTextEquals("url"u8)) { reader.Read(); url = reader.GetString(); }
            else if (reader.ValueTextEquals("screenshot"u8)) { reader.Read(); screenshot = reader.GetString(); }
            else { reader.Read(); reader.Skip(); }
        }
        return new RunStep { Id = id!, Timestamp = timestamp, Purpose = purpose, Action = action, Url = url, Screenshot = screenshot };
    }

    private static RunError ReadError(ref Utf8JsonReader reader)
    {
        string? code = null, message = null, category = null, helpMessage = null;
        int? retryAfter = null;
        Uri? helpUrl = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8)) { reader.Read(); code = reader.GetString(); }
            else if (reader.ValueTextEquals("message"u8)) { reader.Read(); message = reader.GetString(); }
            else if (reader.ValueTextEquals("category"u8)) { reader.Read(); category = reader.GetString(); }
            else if (reader.ValueTextEquals("retry_after"u8)) { reader.Read(); retryAfter = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32(); }
            else if (reader.ValueTextEquals("help_url"u8)) { reader.Read(); helpUrl = new Uri(reader.GetString()!); }
            else if (reader.ValueTextEquals("help_message"u8)) { reader.Read(); helpMessage = reader.GetString(); }
            else { reader.Read(); reader.Skip(); }
        }
        return new RunError { Code = code, Message = message!, Category = category!, RetryAfter = retryAfter, HelpUrl = helpUrl, HelpMessage = helpMessage };
    }

    private static BrowserConfig ReadBrowser(ref Utf8JsonReader reader)
    {
        var enabled = false;
        string? country = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("proxy_enabled"u8)) { reader.Read(); enabled = reader.GetBoolean(); }
            else if (reader.ValueTextEquals("proxy_country_code"u8)) { reader.Read(); country = reader.GetString(); }
            else { reader.Read(); reader.Skip(); }
        }
        return new BrowserConfig { ProxyEnabled = enabled, ProxyCountryCode = country };
    }
}
