using System.ComponentModel;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// One HTTP call described by generated code: method, path, parameters, body and whether a retry
/// is safe. The pipeline turns it into an <see cref="HttpRequestMessage"/> for every attempt.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiRequest
{
    // The path as filled so far (a new string only when a {name} is filled); the lists exist once used.
    private string _path;
    private List<KeyValuePair<string, string>>? _query;
    private List<KeyValuePair<string, string>>? _headers;

    /// <param name="method">The HTTP method.</param>
    /// <param name="pathTemplate">The path as the spec writes it, e.g. <c>/v1/runs/{id}</c>.</param>
    /// <param name="operationId">The spec's operation id, for logs and errors.</param>
    /// <param name="idempotent">
    /// Whether sending the request twice has the effect of sending it once. Requests that are not
    /// idempotent are retried only when the server cannot have processed them.
    /// </param>
    public ApiRequest(HttpMethod method, string pathTemplate, string operationId, bool idempotent)
    {
        Method = method;
        PathTemplate = pathTemplate;
        OperationId = operationId;
        IsIdempotent = idempotent;
        _path = pathTemplate;
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The path as the spec writes it; safe to log (no values).</summary>
    public string PathTemplate { get; }

    /// <summary>The spec's operation id.</summary>
    public string OperationId { get; }

    /// <summary>Whether a retry after the server may have processed the request is safe.</summary>
    public bool IsIdempotent { get; }

    /// <summary>The media type the response is expected in.</summary>
    public string Accept { get; private set; } = "application/json";

    internal byte[]? Body { get; private set; }

    /// <summary>The body's <c>Content-Type</c> (a string: each message gets its own parsed header).</summary>
    internal string BodyMediaType { get; private set; } = JsonMediaType;

    private const string JsonMediaType = "application/json; charset=utf-8";
    private const string FormMediaType = "application/x-www-form-urlencoded";

    /// <summary>The headers added, or null when none was.</summary>
    internal List<KeyValuePair<string, string>>? Headers => _headers;

    // Key: the exact status (100-599), -n for the spec's "nXX" range, 0 for "default".
    private List<KeyValuePair<int, ApiErrorBodyReader>>? _errorBodies;

    /// <summary>Fills the <c>{name}</c> segment of the path, escaped.</summary>
    public ApiRequest WithPath(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        _path = _path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        return this;
    }

    /// <summary>Adds a query parameter; a null value is left out.</summary>
    public ApiRequest WithQuery(string name, string? value)
    {
        if (value is not null) (_query ??= []).Add(new(name, value));
        return this;
    }

    /// <summary>Adds a numeric query parameter; a null value is left out.</summary>
    public ApiRequest WithQuery(string name, long? value) =>
        WithQuery(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a numeric query parameter; a null value is left out.</summary>
    public ApiRequest WithQuery(string name, double? value) =>
        WithQuery(name, value?.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean query parameter as <c>true</c>/<c>false</c>; a null value is left out.</summary>
    public ApiRequest WithQuery(string name, bool? value) =>
        WithQuery(name, value switch { null => null, true => "true", false => "false" });

    /// <summary>Adds a timestamp query parameter in ISO 8601 (round-trip) form; a null value is left out.</summary>
    public ApiRequest WithQuery(string name, DateTimeOffset? value) =>
        WithQuery(name, value?.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>Adds a repeated query parameter (<c>name=a&amp;name=b</c>); a null list is left out.</summary>
    public ApiRequest WithQuery(string name, IEnumerable<string>? values)
    {
        if (values is null) return this;
        foreach (var value in values) (_query ??= []).Add(new(name, value));
        return this;
    }

    /// <summary>Adds a request header; a null value is left out.</summary>
    public ApiRequest WithHeader(string name, string? value)
    {
        if (value is not null) (_headers ??= []).Add(new(name, value));
        return this;
    }

    /// <summary>Sets the media type the response is expected in.</summary>
    public ApiRequest WithAccept(string mediaType)
    {
        Accept = mediaType;
        return this;
    }

    /// <summary>
    /// Adds a parameter whose value is not a simple type (an object, a union, an array of objects): written once by
    /// its JSON writer, then sent in <paramref name="style"/> as OpenAPI describes it (see <see cref="ApiParameterStyle"/>).
    /// Query and header text is escaped as for <see cref="WithQuery(string, string?)"/> and <see cref="WithHeader"/>; a
    /// <see cref="ApiParameterStyle.Simple"/> path value is escaped whole as for <see cref="WithPath"/>, a label or matrix
    /// one piece by piece, its dots, semicolons, commas and equals signs kept, and a <see cref="ApiParameterStyle.Json"/> one
    /// whole. A null value is left out.
    /// </summary>
    /// <exception cref="ArgumentNullException">A path parameter is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="style"/> is not one <paramref name="location"/> allows.</exception>
    public ApiRequest WithParameter<T>(ApiParameterLocation location, string name, T? value, JsonWriteAction<T> write, ApiParameterStyle style, bool explode)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(write);
        if (value is null)
        {
            return location == ApiParameterLocation.Path ? throw new ArgumentNullException(name, $"The path parameter '{name}' has no value.") : this;
        }
        try
        {
            using var document = JsonDocument.Parse(WriteJson(value, write));
            var root = document.RootElement;
            switch (location)
            {
                case ApiParameterLocation.Query:
                    ParameterText.AddQuery(_query ??= [], name, root, style, explode);
                    return this;
                case ApiParameterLocation.Header:
                    if (style is not (ApiParameterStyle.Simple or ApiParameterStyle.Json)) throw new ArgumentException($"A header parameter is simple or json, not {style}.", nameof(style));
                    return WithHeader(name, ParameterText.Value(name, root, style, explode, ParameterText.AsIs));
                case ApiParameterLocation.Path when style == ApiParameterStyle.Simple:
                    return WithPath(name, ParameterText.Value(name, root, style, explode, ParameterText.AsIs)!);
                case ApiParameterLocation.Path:
                    var text = ParameterText.Value(name, root, style, explode, Uri.EscapeDataString) ?? throw new ArgumentNullException(name, $"The path parameter '{name}' has no value.");
                    _path = _path.Replace("{" + name + "}", text, StringComparison.Ordinal);
                    return this;
                default:
                    throw new ArgumentOutOfRangeException(nameof(location), location, "A parameter is in the path, the query or a header.");
            }
        }
        finally
        {
            ReleaseLargeBuffer();
        }
    }

    /// <summary>Serializes <paramref name="body"/> once, as the JSON request body of every attempt.</summary>
    public ApiRequest WithJsonBody<T>(T body, JsonWriteAction<T> write)
    {
        // Only the body's own array is new.
        Body = WriteJson(body, write).ToArray();
        ReleaseLargeBuffer();
        BodyMediaType = JsonMediaType;
        return this;
    }

    /// <summary>
    /// Writes <paramref name="value"/> into the thread's buffer, reset for each value; the bytes stay valid until the
    /// next write on this thread.
    /// </summary>
    private static ReadOnlyMemory<byte> WriteJson<T>(T value, JsonWriteAction<T> write)
    {
        var buffer = t_bodyBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_bodyWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        write(writer, value);
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>Lets a buffer grown past <see cref="MaxKeptBodyBuffer"/> go to the collector.</summary>
    private static void ReleaseLargeBuffer()
    {
        if (t_bodyBuffer is { Capacity: > MaxKeptBodyBuffer })
        {
            // The writer holds the buffer too: both go, or the large array stays reachable from the thread.
            t_bodyBuffer = null;
            t_bodyWriter = null;
        }
    }

    /// <summary>A thread keeps its body buffer up to this size; a larger body's buffer goes to the collector.</summary>
    private const int MaxKeptBodyBuffer = 64 * 1024;

    [ThreadStatic] private static System.Buffers.ArrayBufferWriter<byte>? t_bodyBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_bodyWriter;

    /// <summary>
    /// Sends <paramref name="body"/> as an <c>application/x-www-form-urlencoded</c> body: written once by its
    /// JSON writer, then encoded field by field as <see cref="FormBody"/> describes.
    /// </summary>
    public ApiRequest WithFormBody<T>(T body, JsonWriteAction<T> write)
    {
        WithJsonBody(body, write);
        Body = FormBody.Encode(Body);
        BodyMediaType = FormMediaType;
        return this;
    }

    /// <summary>
    /// Sends <paramref name="body"/> as a <c>multipart/form-data</c> body: written once by its JSON writer,
    /// then one part per property as <see cref="MultipartBody"/> describes; <paramref name="binaryProperties"/>
    /// (JSON names) are sent as files.
    /// </summary>
    public ApiRequest WithMultipartBody<T>(T body, JsonWriteAction<T> write, params string[] binaryProperties)
    {
        WithJsonBody(body, write);
        (Body, BodyMediaType) = MultipartBody.Encode(Body, binaryProperties);
        return this;
    }

    /// <summary>Sends <paramref name="text"/> as the request body (UTF-8) with media type <paramref name="mediaType"/>, e.g. <c>text/plain</c>.</summary>
    public ApiRequest WithTextBody(string text, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(text);
        var type = MediaTypeHeaderValue.Parse(mediaType);
        type.CharSet ??= "utf-8";
        Body = System.Text.Encoding.UTF8.GetBytes(text);
        BodyMediaType = type.ToString();
        return this;
    }

    /// <summary>Sends <paramref name="bytes"/> as the request body with media type <paramref name="mediaType"/>, e.g. <c>application/octet-stream</c>.</summary>
    public ApiRequest WithBinaryBody(byte[] bytes, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Body = bytes;
        BodyMediaType = MediaTypeHeaderValue.Parse(mediaType).ToString();
        return this;
    }

    /// <summary>
    /// Reads the body of an error response with status <paramref name="status"/> as <typeparamref name="T"/>
    /// into <see cref="ApiException.Body"/>. Several registrations for one status are tried in order (the
    /// variants of a <c>oneOf</c>/<c>anyOf</c>): the first whose <paramref name="requiredProperties"/> are
    /// all present and whose reader succeeds gives the body.
    /// </summary>
    /// <param name="status">The HTTP status, as the spec lists it (e.g. 404).</param>
    /// <param name="read">The generated reader of the model.</param>
    /// <param name="requiredProperties">JSON property names the body must have before <paramref name="read"/> is tried.</param>
    public ApiRequest WithErrorBody<T>(int status, JsonReadFunc<T> read, params string[] requiredProperties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        return AddErrorBody(status, ApiErrorBodyReader.Of(read, requiredProperties));
    }

    /// <summary>
    /// Like <see cref="WithErrorBody{T}(int, JsonReadFunc{T}, string[])"/> for a range the spec writes as
    /// <c>4XX</c> or <c>5XX</c>; it applies to a status of that class that has no registration of its own.
    /// </summary>
    /// <param name="statusClass">The first digit of the range: 1 to 5 (4 for <c>4XX</c>).</param>
    /// <param name="read">The generated reader of the model.</param>
    /// <param name="requiredProperties">JSON property names the body must have before <paramref name="read"/> is tried.</param>
    public ApiRequest WithErrorBodyRange<T>(int statusClass, JsonReadFunc<T> read, params string[] requiredProperties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusClass, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusClass, 5);
        return AddErrorBody(-statusClass, ApiErrorBodyReader.Of(read, requiredProperties));
    }

    /// <summary>
    /// Like <see cref="WithErrorBody{T}(int, JsonReadFunc{T}, string[])"/> for the spec's <c>default</c>
    /// response: it applies to an error status with neither an exact nor a range registration.
    /// </summary>
    /// <param name="read">The generated reader of the model.</param>
    /// <param name="requiredProperties">JSON property names the body must have before <paramref name="read"/> is tried.</param>
    public ApiRequest WithDefaultErrorBody<T>(JsonReadFunc<T> read, params string[] requiredProperties) =>
        AddErrorBody(0, ApiErrorBodyReader.Of(read, requiredProperties));

    private ApiRequest AddErrorBody(int key, ApiErrorBodyReader reader)
    {
        // Room for the usual handful of documented error statuses without growing.
        (_errorBodies ??= new(8)).Add(new(key, reader));
        return this;
    }

    /// <summary>
    /// The typed body of an error response: the registrations of the exact status, else of its range,
    /// else <c>default</c>, tried in order; null when none is registered or none fits.
    /// </summary>
    internal object? ReadErrorBody(int status, ReadOnlySpan<byte> body)
    {
        if (_errorBodies is null) return null;
        foreach (var key in (ReadOnlySpan<int>)[status, -(status / 100), 0])
        {
            var registered = false;
            foreach (var entry in _errorBodies)
            {
                if (entry.Key != key) continue;
                registered = true;
                if (entry.Value.TryRead(body, out var value)) return value;
            }
            // The spec's most specific response describes the status; a wider one does not apply to it.
            if (registered) return null;
        }
        return null;
    }

    /// <summary>The path and query, relative to the base address.</summary>
    public string RelativeUri => UriText(baseText: "");

    /// <summary>The request's URI as text: <paramref name="baseText"/> (a base ending in <c>/</c>, or empty) then the path and query.</summary>
    internal string UriText(string baseText)
    {
        var path = _path.AsSpan().TrimStart('/');
        if (_query is null) return string.Concat(baseText, path);
        var uri = new StringBuilder(baseText.Length + path.Length + 16 * _query.Count).Append(baseText).Append(path);
        for (var i = 0; i < _query.Count; i++)
        {
            uri.Append(i == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(_query[i].Key))
                .Append('=')
                .Append(Uri.EscapeDataString(_query[i].Value));
        }
        return uri.ToString();
    }
}
