using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    private static readonly string[] SpecSuffixes = { ".openapi.yaml", ".openapi.yml", ".openapi.json" };

    /// <summary>Reads an additional file that is an OpenAPI spec (null for any other file) with its options.</summary>
    internal static SpecFile? ReadSpecFile(AdditionalText file, AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken)
    {
        var options = provider.GetOptions(file);
        var marked = options.TryGetValue("build_metadata.AdditionalFiles.OpenApiClient", out var flag)
            && string.Equals(flag?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var fileName = Path.GetFileName(file.Path);
        if (!marked && !SpecSuffixes.Any(suffix => fileName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))) return null;

        string? text;
        try
        {
            text = file.GetText(cancellationToken)?.ToString();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            text = null;
        }

        var ns = Metadata(options, "Namespace")
            ?? (provider.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root) && !string.IsNullOrWhiteSpace(root) ? root!.Trim() : null)
            ?? "Generated";
        var clientName = Metadata(options, "ClientName") ?? DefaultClientName(fileName);
        return new SpecFile(file.Path, text, ns, clientName, Metadata(options, "Operations"));
    }

    /// <summary><c>tinyfish-runs.openapi.yaml</c> → <c>TinyfishRunsClient</c>.</summary>
    internal static string DefaultClientName(string fileName)
    {
        var name = fileName;
        var dot = name.LastIndexOf('.');
        if (dot > 0) name = name.Substring(0, dot);
        if (name.EndsWith(".openapi", StringComparison.OrdinalIgnoreCase)) name = name.Substring(0, name.Length - ".openapi".Length);
        var pascal = Naming.Pascal(name);
        return pascal.EndsWith("Client", StringComparison.Ordinal) ? pascal : pascal + "Client";
    }

    private static string? Metadata(AnalyzerConfigOptions options, string name) =>
        options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value!.Trim() : null;

    /// <summary>Parses one spec into the client model and its diagnostics. Never throws (except on cancellation).</summary>
    internal static ParseResult Parse(SpecFile spec, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticCollector(spec);
        ClientModel? client = null;
        try
        {
            client = ParseCore(spec, diagnostics, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticDescriptors.UnexpectedException, null, "reading " + Path.GetFileName(spec.Path), DescribeFailure(e));
            client = null;
        }
        return new ParseResult(client, diagnostics.ToArray(cancellationToken));
    }

    private static ClientModel? ParseCore(SpecFile spec, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        if (spec.Text is null)
        {
            diagnostics.Add(DiagnosticDescriptors.SpecUnreadable, null, "the file could not be read");
            return null;
        }
        if (string.IsNullOrWhiteSpace(spec.Text))
        {
            diagnostics.Add(DiagnosticDescriptors.SpecUnreadable, null, "the file is empty");
            return null;
        }

        var settings = new OpenApiReaderSettings { LoadExternalRefs = false };
        settings.TryAddReader("yaml", new OpenApiYamlReader());
        settings.TryAddReader("yml", new OpenApiYamlReader());
        ReadResult result;
        try
        {
            result = OpenApiDocument.Parse(spec.Text, diagnostics.IsJson ? "json" : "yaml", settings);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // OpenAPI.NET fails on some nodes left empty (null) where it expects an object: read it again without them.
            var removed = new List<string>();
            var cleaned = SpecNulls.Remove(spec.Text, diagnostics.IsJson, removed);
            ReadResult? retried = null;
            if (cleaned is not null)
            {
                try
                {
                    retried = OpenApiDocument.Parse(cleaned, "json", settings);
                }
                catch (Exception again) when (again is not OperationCanceledException)
                {
                    retried = null;
                }
            }
            if (retried is null)
            {
                var message = e is NullReferenceException or InvalidCastException or KeyNotFoundException or IndexOutOfRangeException
                    ? "the OpenAPI reader failed on it (" + DescribeFailure(e) + "); check the nodes near where this points"
                    : e.Message;
                diagnostics.AddFromMessage(DiagnosticDescriptors.SpecUnreadable, message, null);
                return null;
            }
            foreach (var pointer in removed) diagnostics.Add(DiagnosticDescriptors.ReaderProblem, pointer, "this node is not what the specification wants here (null, or a scalar or list where an object or a text belongs); it is left out (a schema of true: read as any value)");
            result = retried;
        }
        cancellationToken.ThrowIfCancellationRequested();

        var document = result.Document;
        var errors = result.Diagnostic?.Errors ?? new List<OpenApiError>();
        var warnings = result.Diagnostic?.Warnings ?? new List<OpenApiError>();
        if (document is null || document.Info is null && document.Paths is null)
        {
            foreach (var error in errors) diagnostics.AddFromMessage(DiagnosticDescriptors.SpecUnreadable, error.Message, error.Pointer);
            if (errors.Count == 0) diagnostics.Add(DiagnosticDescriptors.SpecUnreadable, null, "it is not an OpenAPI document");
            return null;
        }
        var isSwagger2 = result.Diagnostic?.SpecificationVersion == OpenApiSpecVersion.OpenApi2_0;
        foreach (var error in errors.Concat(warnings))
        {
            if (isSwagger2 && IsSwagger2ReaderFalsePositive(error.Message)) continue;
            diagnostics.AddFromMessage(DiagnosticDescriptors.ReaderProblem, error.Message, error.Pointer);
        }

        return new ModelBuilder(spec, document, result.Diagnostic?.SpecificationVersion, diagnostics, cancellationToken).Build();
    }

    /// <summary>
    /// Fields Swagger 2.0 allows that OpenAPI.NET's 2.0 reader does not know (parameter constraints, an
    /// operation's <c>schemes</c>; microsoft/OpenAPI.NET#194). None of them changes a generated type, and
    /// reporting them would bury a valid spec under thousands of warnings (Kubernetes' has 5,711).
    /// </summary>
    private static readonly string[] Swagger2FieldsUnknownToReader =
    {
        "uniqueItems", "maxItems", "minItems", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "schemes",
    };

    private static bool IsSwagger2ReaderFalsePositive(string message) =>
        Swagger2FieldsUnknownToReader.Any(field => message.StartsWith(field + " is not a valid property", StringComparison.Ordinal));

    /// <summary>An unexpected exception for TFG0004: its type, message and the generator method it came from, for a bug report.</summary>
    internal static string DescribeFailure(Exception e)
    {
        var frame = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at TinyFish.Toolkit.Generator.", StringComparison.Ordinal));
        if (frame is not null && frame.IndexOf('(') is var paren and > 0) frame = frame.Substring(0, paren);
        return e.GetType().Name + ": " + e.Message + (frame is null ? "" : " (" + frame.Replace("TinyFish.Toolkit.Generator.", "") + ")");
    }

    /// <summary>OpenAPI.NET's warning for a <c>$ref</c> whose target is missing ("The schema reference '#/…' does not point to an existing schema.").</summary>
    private static bool IsDanglingReferenceMessage(string message) =>
        message.IndexOf(" reference '", StringComparison.Ordinal) >= 0 && message.IndexOf("does not point to an existing", StringComparison.Ordinal) >= 0;

    /// <summary>Collects diagnostics by JSON pointer and turns them into located ones at the end, mapping the text once.</summary>
    internal sealed class DiagnosticCollector(SpecFile spec)
    {
        private readonly List<(DiagnosticDescriptor Descriptor, string? Pointer, string? Message, string[] Args)> _items = new();

        public bool IsJson { get; } = spec.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || (spec.Text ?? "").TrimStart().StartsWith("{", StringComparison.Ordinal);

        public void Add(DiagnosticDescriptor descriptor, string? pointer, params string[] args) => _items.Add((descriptor, pointer, null, args));

        /// <summary>
        /// Drops the reader's warnings that a <c>$ref</c> points to no schema where <paramref name="reachesSomething"/>, given
        /// the warning's pointer (<c>…/$ref</c>), says it does: a JSON pointer inside the document, which the reader cannot follow.
        /// </summary>
        public void RemoveReaderWarningsAbout(Func<string, bool> reachesSomething) =>
            _items.RemoveAll(item => item.Descriptor.Id == DiagnosticDescriptors.ReaderProblem.Id && item.Message is { } message && IsDanglingReferenceMessage(message)
                && item.Pointer is { } at && reachesSomething(at));

        /// <summary>Forgets the diagnostics located at or under any of <paramref name="pointers"/> (parts of the spec nothing is generated from).</summary>
        public void RemoveUnder(IReadOnlyCollection<string> pointers)
        {
            if (pointers.Count == 0) return;
            var set = new HashSet<string>(pointers, StringComparer.Ordinal);
            _items.RemoveAll(item => item.Pointer is { } at && (set.Contains(at) || Enumerable.Range(0, at.Length).Any(i => at[i] == '/' && set.Contains(at.Substring(0, i)))));
        }

        /// <summary>A reader message, located by the line/column or pointer it names, else by <paramref name="pointer"/>.</summary>
        public void AddFromMessage(DiagnosticDescriptor descriptor, string message, string? pointer) =>
            _items.Add((descriptor, pointer, message, new[] { message }));

        /// <summary>The located diagnostics; if locating fails, the same diagnostics unlocated plus TFG0004 (never throws).</summary>
        public EquatableArray<DiagnosticInfo> ToArray(CancellationToken cancellationToken)
        {
            if (_items.Count == 0) return EquatableArray<DiagnosticInfo>.Empty;
            try
            {
                var map = SpecPositionMap.Build(spec.Path, spec.Text ?? "", IsJson);
                var located = _items
                    .Select(item => new DiagnosticInfo(
                        item.Descriptor.Id,
                        // A reader message's own line and column (YAML's one-based and zero-based, JSON's zero-based) is what the location says: once is enough.
                        (item.Message is null ? item.Args : new[] { SpecPositionMap.WithoutPositions(item.Message) }).ToEquatableArray(),
                        item.Message is null ? map.Locate(item.Pointer) : map.LocateMessage(item.Message, item.Pointer)))
                    .ToList();
                // A $ref to nothing is TFG0013, an error at the $ref: the reader's warning about the same $ref would say it twice.
                var dangling = new HashSet<LocationInfo>(located.Where(d => d.Id == DiagnosticDescriptors.DanglingReference.Id && d.Location is not null).Select(d => d.Location!));
                return located
                    .Where(d => !(d.Id == DiagnosticDescriptors.ReaderProblem.Id && d.Location is { } at && dangling.Contains(at) && IsDanglingReferenceMessage(d.MessageArgs[0])))
                    .ToEquatableArray();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return _items
                    .Select(item => new DiagnosticInfo(item.Descriptor.Id, item.Args.ToEquatableArray(), null))
                    .Append(new DiagnosticInfo(
                        DiagnosticDescriptors.UnexpectedException.Id,
                        new[] { "locating diagnostics in " + Path.GetFileName(spec.Path), e.GetType().Name + ": " + e.Message }.ToEquatableArray(),
                        null))
                    .ToEquatableArray();
            }
        }
    }
}
