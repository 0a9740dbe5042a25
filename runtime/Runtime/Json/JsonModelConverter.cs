using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// A <see cref="JsonConverter{T}"/> over a generated reader and writer, so <see cref="JsonSerializer"/>
/// reads and writes generated models exactly as the client does.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public class JsonModelConverter<T> : JsonConverter<T>
{
    private readonly JsonReadFunc<T> _read;
    private readonly JsonWriteAction<T> _write;

    /// <summary>Creates the converter from a generated reader and writer.</summary>
    public JsonModelConverter(JsonReadFunc<T> read, JsonWriteAction<T> write)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(write);
        _read = read;
        _write = write;
    }

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => _read(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _write(writer, value);
}
