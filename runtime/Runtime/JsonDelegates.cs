using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>Reads one value of <typeparamref name="T"/> from the reader's current token.</summary>
/// <remarks>Generated clients emit one per model, so no serialization goes through reflection.</remarks>
public delegate T JsonReadFunc<out T>(ref Utf8JsonReader reader);

/// <summary>Writes <paramref name="value"/> as one JSON value.</summary>
public delegate void JsonWriteAction<in T>(Utf8JsonWriter writer, T value);
