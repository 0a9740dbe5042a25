using System.Text.Json;

namespace TinyFish.FakeServer.Json;

/// <summary>
/// Reads the properties of one JSON object by name, checking each one's type and recording every
/// problem under its dotted path (<c>runs[2].agent_config.max_steps</c>). A property that is absent
/// or <c>null</c> counts as not given; properties nobody asked for are reported by <see cref="RejectUnknown"/>.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly string _path;
    private readonly ValidationErrors _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private JsonObjectReader(JsonElement element, string path, ValidationErrors errors)
    {
        _element = element;
        _path = path;
        _errors = errors;
    }

    /// <summary>A reader over <paramref name="element"/>, or null (with an error recorded) when it is not an object.</summary>
    public static JsonObjectReader? For(JsonElement element, string path, ValidationErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Object) return new JsonObjectReader(element, path, errors);
        errors.Add(path.Length == 0 ? "body" : path, $"must be a JSON object, not {Describe(element.ValueKind)}");
        return null;
    }

    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    public bool TryGet(string name, out JsonElement value)
    {
        _known.Add(name);
        return _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public string? String(string name, bool required = false)
    {
        if (!TryGet(name, out var value))
        {
            if (required) _errors.Add(PathOf(name), $"{name} is required");
            return null;
        }
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Mismatch(name, "a string", value);
        return null;
    }

    public bool? Boolean(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Mismatch(name, "a boolean", value);
        return null;
    }

    public int? Integer(string name, int minimum, int maximum)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Mismatch(name, "an integer", value);
            return null;
        }
        if (number < minimum || number > maximum)
        {
            _errors.Add(PathOf(name), maximum == int.MaxValue ? $"must be at least {minimum}" : $"must be between {minimum} and {maximum}");
            return null;
        }
        return (int)number;
    }

    public string? Enum(string name, params string[] allowed)
    {
        var value = String(name);
        if (value is null || System.Array.IndexOf(allowed, value) >= 0) return value;
        _errors.Add(PathOf(name), $"must be one of {string.Join(", ", allowed)}");
        return null;
    }

    public JsonObjectReader? Object(string name) =>
        TryGet(name, out var value) ? For(value, PathOf(name), _errors) : null;

    public JsonElement? RawObject(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Object) return value.Clone();
        Mismatch(name, "a JSON object", value);
        return null;
    }

    /// <summary>The array's items, or null (with an error recorded) when absent/not an array or its length is out of range.</summary>
    public IReadOnlyList<JsonElement>? Array(string name, int minimum, int maximum, bool required)
    {
        if (!TryGet(name, out var value))
        {
            if (required) _errors.Add(PathOf(name), $"{name} is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Mismatch(name, "an array", value);
            return null;
        }
        var length = value.GetArrayLength();
        if (length < minimum || length > maximum)
        {
            _errors.Add(PathOf(name), $"must hold between {minimum} and {maximum} items, not {length}");
            return null;
        }
        return [.. value.EnumerateArray()];
    }

    public void Error(string name, string message) => _errors.Add(PathOf(name), message);

    /// <summary>Reports every property that no read asked for (the fake is strict about unknown keys).</summary>
    public void RejectUnknown()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_known.Contains(property.Name)) _errors.Add(PathOf(property.Name), "is not a known property");
        }
    }

    private void Mismatch(string name, string expected, JsonElement actual) =>
        _errors.Add(PathOf(name), $"must be {expected}, not {Describe(actual.ValueKind)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
