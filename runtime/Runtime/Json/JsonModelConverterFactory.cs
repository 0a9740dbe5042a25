using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// One <see cref="JsonConverterFactory"/> for every generated type of a client: the generated subclass maps each
/// type to its generated reader and writer (a <see cref="JsonModelConverter{T}"/>), as System.Text.Json's own
/// source generator maps types in <c>JsonSerializerContext.GetTypeInfo</c>. Generated types name the subclass in
/// their <see cref="JsonConverterAttribute"/>; that costs the compiler one line per type instead of interface
/// members on each type, and uses no reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class JsonModelConverterFactory : JsonConverterFactory
{
    private readonly ConcurrentDictionary<Type, JsonConverter?> _converters = new();
    private readonly Func<Type, JsonConverter?> _create;

    /// <summary>Creates the factory.</summary>
    protected JsonModelConverterFactory() => _create = Create;

    /// <inheritdoc />
    public sealed override bool CanConvert(Type typeToConvert) => Find(typeToConvert) is not null;

    /// <inheritdoc />
    public sealed override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        Find(typeToConvert) ?? throw new NotSupportedException(GetType().FullName + " has no generated reader and writer for " + typeToConvert.FullName + ".");

    /// <summary>The converter over the generated reader and writer of <paramref name="typeToConvert"/>, or null when it is not a generated type.</summary>
    protected abstract JsonConverter? Create(Type typeToConvert);

    private JsonConverter? Find(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return _converters.GetOrAdd(typeToConvert, _create);
    }
}
