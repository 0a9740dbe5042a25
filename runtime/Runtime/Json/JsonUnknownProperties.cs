using System.Buffers;
using System.Collections;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime.Json;

/// <summary>
/// The JSON properties of an object that its model does not declare, kept as the raw UTF-8 of one JSON
/// object (one array per object that has any) and written back unchanged. Read them as
/// <see cref="JsonElement"/>s by name (parsed once, on first access), or take the JSON text whole
/// (<see cref="Utf8Json"/>, <see cref="ToString"/>).
/// </summary>
/// <remarks>
/// A property that appears twice is written back twice; reading by name gives the last one, as
/// <see cref="JsonDocument"/> does.
/// </remarks>
public sealed class JsonUnknownProperties : IReadOnlyDictionary<string, JsonElement>
{
    private readonly byte[] _utf8;
    private Dictionary<string, JsonElement>? _parsed;

    private JsonUnknownProperties(byte[] utf8Object) => _utf8 = utf8Object;

    /// <summary>The properties as one JSON object, UTF-8, as they came (e.g. <c>{"a":1,"b":[true]}</c>).</summary>
    public ReadOnlyMemory<byte> Utf8Json => _utf8;

    /// <summary>Keeps <paramref name="properties"/> (e.g. to send them with a model); null or none gives null.</summary>
    public static JsonUnknownProperties? From(IEnumerable<KeyValuePair<string, JsonElement>>? properties)
    {
        if (properties is null) return null;
        var buffer = new ArrayBufferWriter<byte>(256);
        var any = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in properties)
            {
                ArgumentNullException.ThrowIfNull(property.Key, nameof(properties));
                writer.WritePropertyName(property.Key);
                property.Value.WriteTo(writer);
                any = true;
            }
            writer.WriteEndObject();
        }
        return any ? new JsonUnknownProperties(buffer.WrittenSpan.ToArray()) : null;
    }

    /// <summary>Writes each property (name and value) into the object <paramref name="writer"/> is writing.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var reader = new Utf8JsonReader(_utf8);
        reader.Read();
        Span<byte> scratch = stackalloc byte[128];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                var name = reader.ValueSpan.Length <= scratch.Length ? scratch : new byte[reader.ValueSpan.Length];
                writer.WritePropertyName(name[..reader.CopyString(name)]);
            }
            else
            {
                writer.WritePropertyName(reader.ValueSpan);
            }
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            // The bytes were checked when they were read (or written by From): no second validation.
            writer.WriteRawValue(_utf8.AsSpan(start, (int)reader.BytesConsumed - start), skipInputValidation: true);
        }
    }

    /// <summary>The properties as one JSON object.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8);

    private Dictionary<string, JsonElement> Parsed
    {
        get
        {
            if (_parsed is { } parsed) return parsed;
            var reader = new Utf8JsonReader(_utf8);
            var root = JsonElement.ParseValue(ref reader);
            parsed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject()) parsed[property.Name] = property.Value;
            return _parsed = parsed;
        }
    }

    /// <inheritdoc />
    public JsonElement this[string key] => Parsed[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => Parsed.Keys;

    /// <inheritdoc />
    public IEnumerable<JsonElement> Values => Parsed.Values;

    /// <inheritdoc />
    public int Count => Parsed.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => Parsed.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => Parsed.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => Parsed.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Collects the unknown properties of one object while generated code reads it: the raw bytes of
    /// each go into a pooled buffer; <see cref="Build"/> makes the one array the model keeps.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public struct Builder
    {
        private byte[]? _buffer;
        private int _length;

        /// <summary>The properties collected, or null when there were none; the pooled buffer is returned.</summary>
        public JsonUnknownProperties? Build()
        {
            if (_buffer is null) return null;
            Append((byte)'}');
            var utf8 = _buffer.AsSpan(0, _length).ToArray();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _length = 0;
            return new JsonUnknownProperties(utf8);
        }

        /// <summary>Copies the property <paramref name="name"/> whose value the reader is on, moving past the value.</summary>
        internal void Add(string name, ref Utf8JsonReader reader)
        {
            Append(_buffer is null ? (byte)'{' : (byte)',');
            AppendName(name);
            var depth = reader.CurrentDepth;
            var comma = false;
            while (true)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.Comment or JsonTokenType.None:
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        Append(reader.TokenType == JsonTokenType.EndObject ? (byte)'}' : (byte)']');
                        comma = true;
                        break;
                    default:
                        if (comma) Append((byte)',');
                        AppendToken(ref reader);
                        comma = reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.StartObject or JsonTokenType.StartArray);
                        break;
                }
                if (reader.CurrentDepth == depth && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.Comment)) return;
                if (!reader.Read()) throw new JsonException("The JSON ends inside a value.");
            }
        }

        private void AppendToken(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: Append((byte)'{'); return;
                case JsonTokenType.StartArray: Append((byte)'['); return;
                case JsonTokenType.PropertyName:
                case JsonTokenType.String:
                    Append((byte)'"');
                    AppendRaw(ref reader);
                    Append((byte)'"');
                    if (reader.TokenType == JsonTokenType.PropertyName) Append((byte)':');
                    return;
                default:
                    AppendRaw(ref reader);
                    return;
            }
        }

        /// <summary>The token's bytes as they are in the input (escapes kept), from one segment or several.</summary>
        private void AppendRaw(ref Utf8JsonReader reader)
        {
            if (!reader.HasValueSequence)
            {
                Append(reader.ValueSpan);
                return;
            }
            foreach (var segment in reader.ValueSequence) Append(segment.Span);
        }

        /// <summary>A name as a JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.</summary>
        private void AppendName(string name)
        {
            Append((byte)'"');
            var plain = 0;
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (c >= 0x20 && c != '"' && c != '\\') continue;
                AppendUtf8(name.AsSpan(plain, i - plain));
                Span<char> escape = ['\\', 'u', '0', '0', Hex(c >> 4), Hex(c & 0xF)];
                AppendUtf8(escape);
                plain = i + 1;
            }
            AppendUtf8(name.AsSpan(plain));
            Append("\":"u8);
        }

        private static char Hex(int digit) => (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);

        private void AppendUtf8(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty) return;
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        }

        private void Append(byte value)
        {
            Reserve(1);
            _buffer![_length++] = value;
        }

        private void Append(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        private void Reserve(int more)
        {
            if (_buffer is not null && _length + more <= _buffer.Length) return;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(256, (_length + more) * 2));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = larger;
        }
    }
}
