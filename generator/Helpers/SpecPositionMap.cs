using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SharpYaml;
using SharpYaml.Events;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator.Helpers;

/// <summary>
/// Maps JSON pointers (<c>#/paths/~1v1~1runs/get</c>), as OpenAPI.NET and the parser report them,
/// back to positions in the spec's YAML or JSON text. Built once per spec, and only when there is
/// something to report.
/// </summary>
internal sealed class SpecPositionMap
{
    private static readonly Regex YamlPosition = new(@"line (\d+), column (\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex JsonPosition = new(@"LineNumber: (\d+) \| BytePositionInLine: (\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex PointerInMessage = new(@"(#/[^\s]*)\s*$", RegexOptions.CultureInvariant);

    private readonly string _path;
    private readonly string _text;
    private readonly int[] _lineStarts;
    private readonly Dictionary<string, (int Start, int End)> _spans = new(StringComparer.Ordinal);

    private SpecPositionMap(string path, string text)
    {
        _path = path;
        _text = text;
        _lineStarts = LineStarts(text);
    }

    public static SpecPositionMap Build(string path, string text, bool isJson)
    {
        var map = new SpecPositionMap(path, text);
        try
        {
            if (isJson) map.WalkJson();
            else map.WalkYaml();
        }
        catch (Exception e) when (e is YamlException or JsonException or InvalidOperationException or ArgumentException)
        {
            // A text that does not parse maps only what was walked before the error; the rest falls back to the document's start.
        }
        return map;
    }

    /// <summary>The location of the deepest node on <paramref name="pointer"/> that exists in the text (the document start if none).</summary>
    public LocationInfo Locate(string? pointer)
    {
        var key = Normalize(pointer);
        while (true)
        {
            if (_spans.TryGetValue(key, out var span)) return ToLocation(span.Start, span.End);
            if (key.StartsWith("/components/schemas/", StringComparison.Ordinal))
            {
                // OpenAPI 2.0 keeps schemas under /definitions.
                var v2 = "/definitions/" + key.Substring("/components/schemas/".Length);
                if (_spans.TryGetValue(v2, out span)) return ToLocation(span.Start, span.End);
            }
            if (key.Length == 0) return ToLocation(0, 0);
            key = key.Substring(0, key.LastIndexOf('/'));
        }
    }

    /// <summary>The location a reader message names: a line/column in it, a pointer in it, or <paramref name="pointer"/>.</summary>
    public LocationInfo LocateMessage(string message, string? pointer)
    {
        var yaml = YamlPosition.Match(message);
        if (yaml.Success) return AtLineColumn(int.Parse(yaml.Groups[1].Value, CultureInfo.InvariantCulture) - 1, int.Parse(yaml.Groups[2].Value, CultureInfo.InvariantCulture) - 1);
        var json = JsonPosition.Match(message);
        if (json.Success) return AtLineColumn(int.Parse(json.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(json.Groups[2].Value, CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(pointer) && pointer!.StartsWith("#/", StringComparison.Ordinal)) return Locate(pointer);
        var inMessage = PointerInMessage.Match(message);
        return Locate(inMessage.Success ? inMessage.Groups[1].Value : null);
    }

    private static readonly Regex PositionsInMessage = new(
        @"(\s*\(Lin: \d+, Col: \d+, Chr: \d+\)(\s*-\s*\(Lin: \d+, Col: \d+, Chr: \d+\))?:?)|( at line \d+, column \d+)|(\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?)",
        RegexOptions.CultureInvariant);

    /// <summary>A reader's message without the positions it carries (the diagnostic's location has them, one-based).</summary>
    public static string WithoutPositions(string message)
    {
        var text = PositionsInMessage.Replace(message, "").Trim();
        return text.Length == 0 ? message : text;
    }

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    /// <summary>A segment of a <c>$ref</c>'s JSON pointer as a key: percent-decoded (a URI fragment may encode <c>{</c>), then <c>~1</c> → <c>/</c>, <c>~0</c> → <c>~</c>.</summary>
    public static string Unescape(string segment) => Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~");

    private static string Normalize(string? pointer)
    {
        if (string.IsNullOrEmpty(pointer)) return "";
        var key = pointer!.StartsWith("#", StringComparison.Ordinal) ? pointer.Substring(1) : pointer;
        return key.TrimEnd('/');
    }

    private LocationInfo AtLineColumn(int line, int column)
    {
        line = Math.Max(0, Math.Min(line, _lineStarts.Length - 1));
        var start = Math.Min(_lineStarts[line] + Math.Max(0, column), _text.Length);
        return ToLocation(start, start);
    }

    private LocationInfo ToLocation(int start, int end)
    {
        start = Math.Max(0, Math.Min(start, _text.Length));
        end = Math.Max(start, Math.Min(end, _text.Length));
        var (startLine, startColumn) = LineColumn(start);
        var (endLine, endColumn) = LineColumn(end);
        return new LocationInfo(_path, start, end - start, startLine, startColumn, endLine, endColumn);
    }

    private (int Line, int Column) LineColumn(int position)
    {
        var index = Array.BinarySearch(_lineStarts, position);
        if (index < 0) index = ~index - 1;
        return (index, position - _lineStarts[index]);
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            if (c is '\r' or '\n') starts.Add(i + 1);
        }
        return starts.ToArray();
    }

    private void Record(string path, int start, int end)
    {
        if (!_spans.ContainsKey(path)) _spans[path] = (start, end);
    }

    private sealed class Frame(bool mapping, string path)
    {
        public bool Mapping { get; } = mapping;
        public string Path { get; } = path;
        public bool ExpectKey { get; set; } = true;
        public int Index { get; set; }
        public string Key { get; set; } = "";
        public int KeyStart { get; set; }
        public int KeyEnd { get; set; }

        public void Advance()
        {
            if (Mapping) ExpectKey = true;
            else Index++;
        }
    }

    private void WalkYaml()
    {
        var parser = Parser.CreateParser(new StringReader(_text));
        var stack = new Stack<Frame>();
        while (parser.MoveNext())
        {
            var current = parser.Current;
            if (current is MappingEnd or SequenceEnd)
            {
                if (stack.Count > 0) stack.Pop();
                if (stack.Count > 0) stack.Peek().Advance();
                continue;
            }
            if (current is not (Scalar or MappingStart or SequenceStart or AnchorAlias)) continue;

            var parent = stack.Count > 0 ? stack.Peek() : null;
            if (parent is { Mapping: true, ExpectKey: true })
            {
                parent.Key = current is Scalar key ? key.Value : "";
                parent.KeyStart = current.Start.Index;
                parent.KeyEnd = current.End.Index;
                parent.ExpectKey = false;
                if (current is MappingStart or SequenceStart) stack.Push(new Frame(current is MappingStart, parent.Path + "/?"));
                continue;
            }

            string path;
            if (parent is null)
            {
                path = "";
                Record(path, current.Start.Index, current.Start.Index);
            }
            else if (parent.Mapping)
            {
                path = parent.Path + "/" + Escape(parent.Key);
                Record(path, parent.KeyStart, parent.KeyEnd);
            }
            else
            {
                path = parent.Path + "/" + parent.Index.ToString(CultureInfo.InvariantCulture);
                Record(path, current.Start.Index, current is Scalar ? current.End.Index : current.Start.Index);
            }

            if (current is MappingStart or SequenceStart) stack.Push(new Frame(current is MappingStart, path));
            else parent?.Advance();
        }
    }

    private void WalkJson()
    {
        var bytes = Encoding.UTF8.GetBytes(_text);
        var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes, offset, bytes.Length - offset), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var byteSpans = new List<(string Path, long Start, long End)>();
        var stack = new Stack<Frame>();
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                if (stack.Count > 0) stack.Pop();
                if (stack.Count > 0) stack.Peek().Advance();
                continue;
            }
            var parent = stack.Count > 0 ? stack.Peek() : null;
            if (token == JsonTokenType.PropertyName && parent is not null)
            {
                parent.Key = reader.GetString() ?? "";
                parent.KeyStart = (int)reader.TokenStartIndex;
                parent.KeyEnd = (int)(reader.TokenStartIndex + reader.ValueSpan.Length + 2);
                parent.ExpectKey = false;
                continue;
            }

            string path;
            if (parent is null)
            {
                path = "";
                byteSpans.Add((path, reader.TokenStartIndex, reader.TokenStartIndex));
            }
            else if (parent.Mapping)
            {
                path = parent.Path + "/" + Escape(parent.Key);
                byteSpans.Add((path, parent.KeyStart, parent.KeyEnd));
            }
            else
            {
                path = parent.Path + "/" + parent.Index.ToString(CultureInfo.InvariantCulture);
                byteSpans.Add((path, reader.TokenStartIndex, reader.TokenStartIndex + 1));
            }

            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray) stack.Push(new Frame(token == JsonTokenType.StartObject, path));
            else parent?.Advance();
        }

        // Byte offsets → character offsets, in one pass over the text.
        byteSpans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var byteIndex = (long)offset;
        var charIndex = 0;
        var characterOf = new Dictionary<long, int>();
        foreach (var (_, start, end) in byteSpans)
        {
            foreach (var target in new[] { start + offset, end + offset })
            {
                if (characterOf.ContainsKey(target)) continue;
                if (target < byteIndex) { characterOf[target] = CharacterAt(bytes, target); continue; }
                while (byteIndex < target && charIndex < _text.Length)
                {
                    var c = _text[charIndex];
                    if (char.IsHighSurrogate(c) && charIndex + 1 < _text.Length) { byteIndex += 4; charIndex += 2; }
                    else { byteIndex += c < 0x80 ? 1 : c < 0x800 ? 2 : 3; charIndex++; }
                }
                characterOf[target] = charIndex;
            }
        }
        foreach (var (path, start, end) in byteSpans) Record(path, characterOf[start + offset], characterOf[end + offset]);
    }

    private static int CharacterAt(byte[] bytes, long byteOffset) => Encoding.UTF8.GetCharCount(bytes, 0, (int)byteOffset);
}
