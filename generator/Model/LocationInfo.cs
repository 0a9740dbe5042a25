using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TinyFish.Toolkit.Generator.Model;

/// <summary>
/// Where in a spec file a diagnostic points, as plain numbers (0-based lines and columns) so it can
/// sit in a cached model; it becomes a Roslyn <see cref="Location"/> only when reported.
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}

/// <summary>A diagnostic to report: the descriptor's id, its message arguments and where it points.</summary>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> MessageArgs, LocationInfo? Location);
