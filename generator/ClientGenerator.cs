using Microsoft.CodeAnalysis;

namespace TinyFish.Toolkit.Generator;

/// <summary>Generates a typed client from each OpenAPI file given as an OpenApiClient item.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ClientGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (input, cancellationToken) => ReadSpecFile(input.Left, input.Right, cancellationToken))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.SpecFiles);

        var parsed = specs
            .Select(static (spec, cancellationToken) => Parse(spec, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var clients = parsed
            .Where(static result => result.Client is not null)
            .Select(static (result, _) => result.Client!)
            .WithTrackingName(TrackingNames.Client);

        var diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        var helpBase = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => DiagnosticDescriptors.HelpBase(
                options.GlobalOptions.TryGetValue("build_property.TinyFishGeneratorDiagnosticsDoc", out var doc) ? doc : null))
            .WithTrackingName(TrackingNames.HelpBase);

        // Each client's file names depend on the other clients' names (see ClientNames); a change elsewhere that leaves
        // the names as they are leaves this step's output equal, so the emit step stays cached.
        var names = clients
            .Select(static (client, _) => (client.Namespace, client.ClientName))
            .Collect()
            .Select(static (all, _) => Model.ClientNames.From(all))
            .WithTrackingName(TrackingNames.ClientNames);

        context.RegisterSourceOutput(clients.Combine(names).Combine(helpBase), static (output, input) => Emit(output, input.Left.Left, input.Left.Right, input.Right));
        context.RegisterSourceOutput(diagnostics.Combine(helpBase), static (output, input) => Report(output, input.Left, input.Right));
    }
}
