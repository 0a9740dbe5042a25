namespace TinyFish.Toolkit.Generator;

/// <summary>Names of the pipeline's steps, for <c>WithTrackingName</c> and for tests that check caching.</summary>
public static class TrackingNames
{
    /// <summary>The OpenAPI additional files with their options, read as text.</summary>
    public const string SpecFiles = nameof(SpecFiles);

    /// <summary>Each spec parsed into a client model and diagnostics.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The client model alone (no positions), the emit step's input.</summary>
    public const string Client = nameof(Client);

    /// <summary>Which client names more than one client has, for the clients' file names.</summary>
    public const string ClientNames = nameof(ClientNames);

    /// <summary>The diagnostics alone, the report step's input.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>Where the diagnostics catalog is, for help links (from a build property).</summary>
    public const string HelpBase = nameof(HelpBase);
}
