using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TinyFish.Toolkit.Generator;

/// <summary>Every diagnostic the generator reports. The catalog with causes and fixes is docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "TinyFish.Generator";

    public static readonly DiagnosticDescriptor SpecUnreadable = Create(
        "TFG0001", "OpenAPI file cannot be read",
        "The OpenAPI file cannot be read: {0}", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ReaderProblem = Create(
        "TFG0002", "OpenAPI reader reported a problem",
        "The OpenAPI reader reported: {0}", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnsupportedSchema = Create(
        "TFG0003", "Unsupported schema construct",
        "{0} is not supported ({1}); it is generated as {2}", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnexpectedException = Create(
        "TFG0004", "Unexpected generator failure",
        "The generator failed unexpectedly while {0}: {1}", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NameConflict = Create(
        "TFG0005", "Name changed to avoid a conflict",
        "{0} '{1}' is generated as '{2}' because {3}", DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor InvalidPagination = Create(
        "TFG0006", "Invalid x-pagination extension",
        "x-pagination on operation '{0}' is ignored: {1}", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnsupportedSecurity = Create(
        "TFG0007", "Security scheme not supported",
        "Security scheme '{0}' ({1}) is not supported; the client sends no credential for it", DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor OperationSkipped = Create(
        "TFG0008", "Operation skipped",
        "Operation '{0}' is not generated: {1}", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor MissingOperationId = Create(
        "TFG0010", "Operation has no operationId",
        "Operation {0} {1} has no operationId; its method is named '{2}'", DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor SeveralSuccessBodies = Create(
        "TFG0011", "Success responses with different bodies",
        "Operation '{0}' answers {1} with a different JSON body than {2}; the method returns the {2} type and reads a {1} body as that type", DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor NullableIn31 = Create(
        "TFG0012", "OpenAPI 3.0 keyword in a 3.1 document",
        "The document is OpenAPI {0} but {1} schemas use 3.0's 'nullable: true'; it is honoured (null allowed), but 3.1 writes type: [X, 'null']", DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor DanglingReference = Create(
        "TFG0013", "Reference points nowhere",
        "The reference '{0}' points to nothing in this document; the schema that uses it is generated as System.Text.Json.JsonElement", DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DuplicateMethodName = Create(
        "TFG0014", "Two operations get one method name",
        "Operation {0} ('{1}') gets the method name '{2}' that {3} ('{4}') already has; it is generated as '{5}'", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor RepeatedDiscriminatorValue = Create(
        "TFG0015", "Discriminator value repeated",
        "The discriminator '{0}' of {1}: {2}", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnmatchedOperationsEntry = Create(
        "TFG0016", "Operations entry matches nothing",
        "The Operations entry '{0}' matches no operation of this document; an entry is an operationId, a path or a method and a path ('GET /items'), and '*' matches any characters", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DuplicateClient = Create(
        "TFG0017", "Two OpenAPI files generate one client",
        "More than one OpenApiClient item generates the client '{0}', so none of them is generated; give each a ClientName or a Namespace of its own", DiagnosticSeverity.Error);

    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new Dictionary<string, DiagnosticDescriptor>
    {
        [SpecUnreadable.Id] = SpecUnreadable,
        [ReaderProblem.Id] = ReaderProblem,
        [UnsupportedSchema.Id] = UnsupportedSchema,
        [UnexpectedException.Id] = UnexpectedException,
        [NameConflict.Id] = NameConflict,
        [InvalidPagination.Id] = InvalidPagination,
        [UnsupportedSecurity.Id] = UnsupportedSecurity,
        [OperationSkipped.Id] = OperationSkipped,
        [MissingOperationId.Id] = MissingOperationId,
        [SeveralSuccessBodies.Id] = SeveralSuccessBodies,
        [NullableIn31.Id] = NullableIn31,
        [DanglingReference.Id] = DanglingReference,
        [DuplicateMethodName.Id] = DuplicateMethodName,
        [RepeatedDiscriminatorValue.Id] = RepeatedDiscriminatorValue,
        [UnmatchedOperationsEntry.Id] = UnmatchedOperationsEntry,
        [DuplicateClient.Id] = DuplicateClient,
    };

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Id, string Base), DiagnosticDescriptor> WithHelp = new();

    /// <summary>
    /// <paramref name="descriptor"/> with a help link to its section of the diagnostics catalog at
    /// <paramref name="helpBase"/> (an https address or a file URI, see <see cref="HelpBase"/>); as it is when null.
    /// </summary>
    public static DiagnosticDescriptor Linked(DiagnosticDescriptor descriptor, string? helpBase) =>
        helpBase is null ? descriptor : WithHelp.GetOrAdd((descriptor.Id, helpBase), key => new DiagnosticDescriptor(
            descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity,
            descriptor.IsEnabledByDefault, helpLinkUri: key.Base + "#" + key.Id.ToLowerInvariant()));

    /// <summary>
    /// Where the diagnostics catalog is, from the build property <c>TinyFishGeneratorDiagnosticsDoc</c> that the
    /// package's props set to its own <c>docs/diagnostics.md</c> (a file path, made a file URI) or that a project
    /// sets to an address; null when it is not set or not a usable path.
    /// </summary>
    public static string? HelpBase(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting)) return null;
        var value = setting!.Trim();
        if (value.StartsWith("https://", System.StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase)) return value;
        return System.Uri.TryCreate(value, System.UriKind.Absolute, out var uri) && uri.IsFile ? uri.AbsoluteUri : null;
    }
}
