namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// The base of every absolute URL the fake hands out (<c>streaming_url</c>, step screenshots): the
/// configured <see cref="FakeTinyFishOptions.PublicBaseUrl"/>, else the first address the server
/// listens on (a wildcard host such as <c>0.0.0.0</c> read as <c>localhost</c>), else
/// <c>http://localhost</c> (the in-process server). Never the request's <c>Host</c> header: a
/// client cannot make the fake hand out links to another site, or break its answers with a bad one.
/// </summary>
internal sealed class PublicUrl(Uri? configured)
{
    public const string InProcess = "http://localhost";

    private string? _value = configured is null ? null : Normalize(configured);

    /// <summary>Where the server listens, once it does (set by the standalone host).</summary>
    public Func<IReadOnlyCollection<string>>? ListenAddresses { get; set; }

    /// <summary>The base, without a trailing slash (<c>http://127.0.0.1:5080</c>).</summary>
    public string Value => _value ?? FromListener() ?? InProcess;

    /// <summary>Checks a configured base: an absolute http(s) URL without query or fragment.</summary>
    public static bool IsValid(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Query.Length == 0 && url.Fragment.Length == 0 && url.UserInfo.Length == 0;

    private string? FromListener()
    {
        if (ListenAddresses?.Invoke().FirstOrDefault() is not { } first) return null;
        // Kestrel writes a wildcard binding as http://0.0.0.0:port, http://[::]:port, http://+:port or http://*:port.
        var address = first.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri)) return null;
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri = new UriBuilder(uri) { Host = "localhost" }.Uri;
        return _value = Normalize(uri);
    }

    private static string Normalize(Uri url) => url.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
