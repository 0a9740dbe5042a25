using System.ComponentModel;

namespace TinyFish.Toolkit.Runtime;

/// <summary>How the API key travels, as the spec's security scheme says. Chosen by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiCredentialScheme
{
    private ApiCredentialScheme(string headerName, bool bearer)
    {
        HeaderName = headerName;
        IsBearer = bearer;
    }

    /// <summary>The header that carries the key.</summary>
    public string HeaderName { get; }

    /// <summary>Whether the key is sent as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public bool IsBearer { get; }

    /// <summary>No credential (the spec declares no supported security scheme).</summary>
    public static ApiCredentialScheme None { get; } = new("", bearer: false);

    /// <summary>An <c>apiKey</c> scheme <c>in: header</c>.</summary>
    public static ApiCredentialScheme Header(string headerName) => new(headerName, bearer: false);

    /// <summary>An <c>http</c> scheme <c>bearer</c>.</summary>
    public static ApiCredentialScheme Bearer { get; } = new("Authorization", bearer: true);

    internal void Apply(HttpRequestMessage message, string? apiKey)
    {
        if (HeaderName.Length == 0 || string.IsNullOrEmpty(apiKey)) return;
        if (IsBearer) message.Headers.Authorization = new("Bearer", apiKey);
        else message.Headers.TryAddWithoutValidation(HeaderName, apiKey);
    }
}
