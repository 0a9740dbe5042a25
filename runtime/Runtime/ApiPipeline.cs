using System.ComponentModel;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// The one HTTP path every generated client sends through: base address, credential, status
/// handling and response decoding. Generated operations describe an <see cref="ApiRequest"/> and
/// hand it here with the reader of their response type.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiPipeline : IDisposable
{
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly ApiCredentialScheme _credential;

    /// <summary>Builds the pipeline; validates and freezes <paramref name="options"/>.</summary>
    /// <param name="options">The client's settings.</param>
    /// <param name="credential">How the spec says the API key travels.</param>
    /// <param name="httpClient">The transport; null makes one the pipeline owns and disposes.</param>
    public ApiPipeline(ApiClientOptions options, ApiCredentialScheme credential, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        options.ValidateAndFreeze();
        Options = options;
        _credential = credential;
        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? new HttpClient();
        _httpClient.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    /// <summary>The frozen settings.</summary>
    public ApiClientOptions Options { get; }

    /// <summary>Sends the request and reads the success body with <paramref name="readBody"/>.</summary>
    /// <exception cref="ApiException">The API answered with an error status.</exception>
    public async Task<T> SendAsync<T>(ApiRequest request, JsonReadFunc<T> readBody, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Decode(body, readBody, request);
    }

    /// <summary>Sends the request and ignores any success body.</summary>
    /// <exception cref="ApiException">The API answered with an error status.</exception>
    public async Task SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the request and yields each server-sent event's <c>data</c> read as <typeparamref name="T"/>.</summary>
    /// <exception cref="ApiException">The API answered with an error status.</exception>
    public async IAsyncEnumerable<T> StreamAsync<T>(ApiRequest request, JsonReadFunc<T> readEvent, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        request.WithAccept("text/event-stream");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var parser = SseParser.Create(stream, (_, data) => Decode(data, readEvent, request));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item.Data;
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(ApiRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(request);
        var response = await _httpClient.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw new ApiException(request.OperationId, response.StatusCode, ApiError.TryParse(body), System.Text.Encoding.UTF8.GetString(body));
        }
    }

    private HttpRequestMessage CreateMessage(ApiRequest request)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(Options.BaseAddress!, request.RelativeUri));
        message.Headers.Accept.ParseAdd(request.Accept);
        _credential.Apply(message, Options.ApiKey);
        foreach (var header in request.Headers) message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        }
        return message;
    }

    private static T Decode<T>(ReadOnlySpan<byte> body, JsonReadFunc<T> read, ApiRequest request)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read()) throw new JsonException("The response body is empty.");
            return read(ref reader);
        }
        catch (JsonException e)
        {
            throw new ApiResponseFormatException(request.OperationId, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttpClient) _httpClient.Dispose();
    }
}

/// <summary>A success response whose body does not fit the type the spec promises.</summary>
public sealed class ApiResponseFormatException(string operationId, JsonException inner)
    : Exception($"{operationId}: the response body does not match the spec: {inner.Message}", inner)
{
    /// <summary>The spec's id of the operation whose response did not fit.</summary>
    public string OperationId { get; } = operationId;
}
