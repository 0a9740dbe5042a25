using Microsoft.CodeAnalysis;

namespace TinyFish.Toolkit.Generator;

/// <summary>Generates a typed client from each OpenAPI file given as an OpenApiClient item.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ClientGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
