using System.ComponentModel;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// A type that reads and writes itself: its reader and writer are static members, so one
/// <see cref="JsonSelfConverter{T}"/> per type serves <see cref="JsonSerializer"/> without reflection
/// over members and without a converter class generated per type.
/// </summary>
/// <typeparam name="TSelf">The generated type itself.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IJsonModel<TSelf> where TSelf : IJsonModel<TSelf>
{
    /// <summary>Reads one value from the reader's current token, as the client does.</summary>
    static abstract TSelf ReadJson(ref Utf8JsonReader reader);

    /// <summary>Writes <paramref name="value"/> as one JSON value, as the client does.</summary>
    static abstract void WriteJson(Utf8JsonWriter writer, TSelf value);
}
