using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// A <see cref="JsonConverter{T}"/> over the reader and writer that a type carries
/// (<see cref="IJsonModel{TSelf}"/>), so <see cref="JsonSerializer"/> reads and writes it exactly as the
/// client does. A type that implements the interface names it in its <see cref="JsonConverterAttribute"/>; generated
/// types use their client's <see cref="JsonModelConverterFactory"/> instead, which costs the compiler less.
/// </summary>
/// <typeparam name="T">The generated type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonSelfConverter<T> : JsonConverter<T> where T : IJsonModel<T>
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => T.ReadJson(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => T.WriteJson(writer, value);
}
