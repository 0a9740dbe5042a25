namespace TinyFish.Toolkit.Generator.Model;

/// <summary>One OpenAPI file to generate from, with the options that name what it generates.</summary>
/// <param name="Path">The file's path, as the compiler knows it; diagnostics point here.</param>
/// <param name="Text">The file's content, or null when it could not be read.</param>
/// <param name="Namespace">The namespace of the generated code.</param>
/// <param name="ClientName">The generated client class's name.</param>
/// <param name="Operations">The operations to generate, as the item's <c>Operations</c> metadata lists them (see
/// <see cref="Helpers.OperationSelection"/>); null for all of them.</param>
internal sealed record SpecFile(string Path, string? Text, string Namespace, string ClientName, string? Operations = null);
