using System;
using System.Text;

namespace TinyFish.Toolkit.Generator.Helpers;

/// <summary>Writes C# source with indentation; <c>using (w.Block())</c> opens a brace and closes it.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Whether the last line written opened a block (so a separating blank line would be noise).</summary>
    public bool AtBlockStart { get; private set; }

    public SourceWriter Line(string text = "")
    {
        AtBlockStart = text == "{";
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }
        _builder.Append(' ', _indent * 4).Append(text).Append('\n');
        return this;
    }

    /// <summary>Writes each line of <paramref name="text"/> (a raw block) at the current indentation.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n')) Line(line);
        return this;
    }

    public IDisposable Block(string? header = null, string close = "}")
    {
        if (header is not null) Line(header);
        Line("{");
        _indent++;
        return new Closer(this, close);
    }

    public IDisposable Indent()
    {
        _indent++;
        return new Closer(this, null);
    }

    /// <summary>The source written; throws when a block or indent opened is still open (an emitter bug, not a spec problem).</summary>
    public string Complete()
    {
        if (_indent != 0) throw new InvalidOperationException("The generated source has " + _indent + " unclosed block(s) or indent(s).");
        return _builder.ToString();
    }

    public override string ToString() => _builder.ToString();

    private sealed class Closer(SourceWriter writer, string? close) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            if (close is not null) writer.Line(close);
        }
    }
}
