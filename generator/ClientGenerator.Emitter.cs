using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using TypeKind = TinyFish.Toolkit.Generator.Model.TypeKind;
using Microsoft.CodeAnalysis.Text;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    private const string Runtime = "global::TinyFish.Toolkit.Runtime";
    private const string Primitives = "global::TinyFish.Toolkit.Runtime.Json.JsonPrimitives";
    private const string Reader = "global::System.Text.Json.Utf8JsonReader";
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    private const string Element = "global::System.Text.Json.JsonElement";
    private const string CancellationTokenType = "global::System.Threading.CancellationToken";

    private static readonly string GeneratedCode =
        "[global::System.CodeDom.Compiler.GeneratedCode(\"TinyFish.Toolkit.Generator\", \"" + typeof(ClientGenerator).Assembly.GetName().Version + "\")]";

    private static void Emit(SourceProductionContext context, ClientModel client, ClientNames names, string? helpBase)
    {
        if (names.IsDuplicate(client))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.Linked(DiagnosticDescriptors.DuplicateClient, helpBase), Location.None, ClientNames.FullName(client)));
            return;
        }
        try
        {
            foreach (var (hintName, source) in Emitter.EmitAll(client, names.HintPrefix(client)))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.AddSource(hintName, SourceText.From(source, Encoding.UTF8));
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.Linked(DiagnosticDescriptors.UnexpectedException, helpBase), Location.None, "emitting " + client.ClientName, DescribeFailure(e)));
        }
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, string? helpBase)
    {
        foreach (var info in diagnostics)
        {
            try
            {
                var descriptor = DiagnosticDescriptors.Linked(DiagnosticDescriptors.ById[info.Id], helpBase);
                context.ReportDiagnostic(Diagnostic.Create(descriptor, info.Location?.ToLocation() ?? Location.None, info.MessageArgs.Cast<object>().ToArray()));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnexpectedException, Location.None, "reporting " + info.Id, e.Message));
            }
        }
    }

    /// <summary>The emit step: a pure function from the client model to source files.</summary>
    internal static partial class Emitter
    {
        /// <summary>The client's files, their names starting with <paramref name="hintPrefix"/> (see <see cref="ClientNames.HintPrefix"/>).</summary>
        public static IEnumerable<(string HintName, string Source)> EmitAll(ClientModel client, string hintPrefix)
        {
            // Hints must be unique ignoring case (Roslyn's rule, for case-insensitive file systems), where type names
            // need only differ in case (SQLParameters, SqlParameters), and a type may be named Client, as the client's file is.
            var hints = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Client" };
            yield return (hintPrefix + ".Client.g.cs", EmitClient(client));
            // Every type's reader and writer go in one part of the JSON class, in a file of their own: one part per
            // type (thousands on a large spec) cost the compiler a sixth of its time merging them.
            var json = Begin();
            json.Line("namespace " + client.Namespace + ";");
            json.Line();
            Doc(json, "summary", "Reflection-free JSON reading and writing of the generated types.");
            json.Line(GeneratedCode);
            var jsonClass = json.Block("internal static partial class " + client.JsonClassName);
            foreach (var type in client.Types)
            {
                yield return (hintPrefix + "." + Naming.Unique(type.Name, hints) + ".g.cs", EmitType(client, type, json));
            }
            EmitConverterFactory(json, client);
            jsonClass.Dispose();
            yield return (hintPrefix + ".Client.Json.g.cs", json.Complete());
        }

        /// <summary>
        /// The file header. Nullable annotations are on (callers see <c>string?</c>) but nullable warnings are off:
        /// the compiler's flow analysis of generated code was a fifth of its compile time on large specs, and a
        /// warning there is the generator's bug, not the user's. The generator's tests compile the output with
        /// warnings on (<c>GenerationResult.CompileProblems</c>) and require none.
        /// </summary>
        private static SourceWriter Begin()
        {
            var w = new SourceWriter();
            w.Lines("""
                // <auto-generated/>
                // Generated by TinyFish.Toolkit.Generator from an OpenAPI document. Change the document, not this file.
                #nullable enable annotations
                #nullable disable warnings
                #pragma warning disable CS0612, CS0618 // Deprecated operations and properties are still sent and read.
                """);
            return w;
        }

        // ---- Client -----------------------------------------------------------------------------

        private static string EmitClient(ClientModel client)
        {
            var w = Begin();
            w.Line("namespace " + client.Namespace + ";");
            w.Line();
            Doc(w, "summary", client.Title is null ? "A client of the API." : "A client of " + client.Title + (client.ApiVersion is null ? "" : " (version " + client.ApiVersion + ")") + ".");
            if (client.Description is not null) Doc(w, "remarks", client.Description);
            w.Line(GeneratedCode);
            using (w.Block("public partial class " + client.ClientName + " : global::System.IDisposable"))
            {
                w.Line("private readonly " + Runtime + ".ApiPipeline _pipeline;");
                w.Line("private readonly bool _ownsPipeline;");
                w.Line();
                Doc(w, "summary", "How the spec says the API key travels.");
                w.Line("public static " + Runtime + ".ApiCredentialScheme CredentialScheme { get; } = " + client.Credential.Kind switch
                {
                    CredentialKind.Header => Runtime + ".ApiCredentialScheme.Header(" + Literal(client.Credential.HeaderName) + ");",
                    CredentialKind.Bearer => Runtime + ".ApiCredentialScheme.Bearer;",
                    _ => Runtime + ".ApiCredentialScheme.None;",
                });
                w.Line();
                // The runtime knows no API: how this one reports errors is the client's to say, in a partial part.
                Doc(w, "summary", "How the API reports errors (envelope, codes, wait hints): ApiErrorConventions.Default unless a partial part of this class sets its own in ConfigureErrorConventions.");
                w.Line("public static " + Runtime + ".ApiErrorConventions ErrorConventions { get; } = CreateErrorConventions();");
                w.Line();
                using (w.Block("private static " + Runtime + ".ApiErrorConventions CreateErrorConventions()"))
                {
                    w.Line("var conventions = " + Runtime + ".ApiErrorConventions.Default;");
                    w.Line("ConfigureErrorConventions(ref conventions);");
                    w.Line("return conventions;");
                }
                w.Line();
                w.Line("static partial void ConfigureErrorConventions(ref " + Runtime + ".ApiErrorConventions conventions);");
                w.Line();
                w.Line("/// <summary>Creates the client; it validates and freezes <paramref name=\"options\"/>.</summary>");
                w.Line("/// <param name=\"options\">The base address, API key, timeouts and retries.</param>");
                w.Line("/// <param name=\"httpClient\">The transport; null makes one that the client owns and disposes.</param>");
                using (w.Block("public " + client.ClientName + "(" + Runtime + ".ApiClientOptions options, global::System.Net.Http.HttpClient? httpClient = null)"))
                {
                    w.Line("_pipeline = new " + Runtime + ".ApiPipeline(options, CredentialScheme, httpClient, ErrorConventions);");
                    w.Line("_ownsPipeline = true;");
                    InitializeGroups(w, client);
                }
                w.Line();
                Doc(w, "summary", "Creates the client over an existing pipeline, which the caller keeps owning.");
                w.Line("/// <param name=\"pipeline\">The HTTP pipeline to send through.</param>");
                using (w.Block("public " + client.ClientName + "(" + Runtime + ".ApiPipeline pipeline)"))
                {
                    w.Line("global::System.ArgumentNullException.ThrowIfNull(pipeline);");
                    w.Line("_pipeline = pipeline;");
                    InitializeGroups(w, client);
                }
                w.Line();
                Doc(w, "summary", "The pipeline every call goes through.");
                w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
                w.Line("public " + Runtime + ".ApiPipeline Pipeline => _pipeline;");
                foreach (var group in client.Groups.Where(g => g.PropertyName is not null))
                {
                    w.Line();
                    Doc(w, "summary", group.Description ?? "The operations tagged " + group.PropertyName + ".");
                    w.Line("public " + group.ClassName + " " + group.PropertyName + " { get; }");
                }
                foreach (var group in client.Groups.Where(g => g.PropertyName is null))
                {
                    foreach (var operation in group.Operations) EmitOperation(w, client, operation);
                }
                w.Line();
                Doc(w, "summary", "Releases the HTTP resources the client owns.");
                using (w.Block("public void Dispose()"))
                {
                    w.Line("if (_ownsPipeline) _pipeline.Dispose();");
                }
            }


            foreach (var group in client.Groups.Where(g => g.PropertyName is not null))
            {
                w.Line();
                Doc(w, "summary", group.Description ?? "The operations tagged " + group.PropertyName + ".");
                w.Line(GeneratedCode);
                using (w.Block("public sealed partial class " + group.ClassName))
                {
                    w.Line("private readonly " + Runtime + ".ApiPipeline _pipeline;");
                    w.Line();
                    w.Line("internal " + group.ClassName + "(" + Runtime + ".ApiPipeline pipeline) => _pipeline = pipeline;");
                    foreach (var operation in group.Operations) EmitOperation(w, client, operation);
                }
            }
            return w.Complete();
        }

        private static void InitializeGroups(SourceWriter w, ClientModel client)
        {
            foreach (var group in client.Groups.Where(g => g.PropertyName is not null))
            {
                w.Line(group.PropertyName + " = new " + group.ClassName + "(_pipeline);");
            }
        }

        private static void EmitOperation(SourceWriter w, ClientModel client, OperationModel operation)
        {
            EmitMethod(w, client, operation, remarks: null);
            if (operation.Paging is { } paging) EmitPaging(w, client, operation, paging);
            if (operation.Stream is { } stream)
            {
                var remarks = "The operation answers JSON or a stream of server-sent events, as the request asks (often a 'stream' flag in the body): "
                    + "this method asks for the stream; a JSON answer is read as its one item. " + operation.MethodName + " returns the JSON answer.";
                EmitMethod(w, client, operation with { MethodName = stream.MethodName, Response = stream.Response, Paging = null, Stream = null }, remarks);
            }
        }

        private static void EmitMethod(SourceWriter w, ClientModel client, OperationModel operation, string? remarks)
        {
            var ns = client.Namespace;
            w.Line();
            var returns = !operation.Response.EmptyStatuses.IsEmpty
                ? (operation.Response.Description ?? "The response body.").TrimEnd('.') + "; null when the API answers " + string.Join(", ", operation.Response.EmptyStatuses) + " without a body."
                : operation.Response.Description;
            OperationDocs(w, ns, operation, operation.Parameters, returns: returns, remarks);
            if (operation.Deprecated) w.Line("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
            var signature = string.Join(", ", operation.Parameters.Select(p => ParameterDeclaration(ns, p)).Concat(new[] { CancellationTokenType + " cancellationToken = default" }));
            var returnType = operation.Response.Kind switch
            {
                ResponseKind.Json or ResponseKind.Text or ResponseKind.Binary or ResponseKind.JsonByStatus => "global::System.Threading.Tasks.Task<" + CSharpType(ns, operation.Response.Type!) + ">",
                ResponseKind.EventStream => "global::System.Collections.Generic.IAsyncEnumerable<" + CSharpType(ns, operation.Response.Type!) + ">",
                _ => "global::System.Threading.Tasks.Task",
            };
            using (w.Block("public " + returnType + " " + operation.MethodName + "(" + signature + ")"))
            {
                w.Line("var apiRequest = new " + Runtime + ".ApiRequest(" + HttpMethod(operation.HttpMethod) + ", " + Literal(operation.Path) + ", " + Literal(operation.OperationId) + ", idempotent: " + (operation.Idempotent ? "true" : "false") + ");");
                foreach (var pair in operation.FixedQuery) w.Line("apiRequest.WithQuery(" + Literal(pair.Name) + ", " + Literal(pair.Value) + ");");
                foreach (var parameter in operation.Parameters) AddParameter(w, client, parameter);
                foreach (var error in operation.Errors) AddErrorBodies(w, client, error);
                switch (operation.Response.Kind)
                {
                    case ResponseKind.JsonByStatus:
                        EmitSendByStatus(w, client, operation.Response.Result!);
                        break;
                    case ResponseKind.Json when !operation.Response.EmptyStatuses.IsEmpty:
                        w.Line("return _pipeline.SendOrDefaultAsync(apiRequest, " + ReadDelegate(client, operation.Response.Type!, 0) + ", cancellationToken);");
                        break;
                    case ResponseKind.Json:
                        w.Line("return _pipeline.SendAsync(apiRequest, " + ReadDelegate(client, operation.Response.Type!, 0) + ", cancellationToken);");
                        break;
                    case ResponseKind.EventStream:
                        w.Line("return _pipeline.StreamAsync(apiRequest, " + ReadDelegate(client, operation.Response.Type!, 0) + ", cancellationToken);");
                        break;
                    case ResponseKind.Text:
                        w.Line("apiRequest.WithAccept(" + Literal(operation.Response.MediaType!) + ");");
                        w.Line("return _pipeline.SendForTextAsync(apiRequest, cancellationToken);");
                        break;
                    case ResponseKind.Binary:
                        w.Line("apiRequest.WithAccept(" + Literal(operation.Response.MediaType!) + ");");
                        w.Line("return _pipeline.SendForBytesAsync(apiRequest, cancellationToken);");
                        break;
                    default:
                        w.Line("return _pipeline.SendAsync(apiRequest, cancellationToken);");
                        break;
                }
            }
        }

        /// <summary>Reads the body by the status it came with, into the result record for that status.</summary>
        private static void EmitSendByStatus(SourceWriter w, ClientModel client, SuccessResultModel result)
        {
            var full = "global::" + client.Namespace + "." + result.Name;
            w.Line("return _pipeline.SendAsync<" + full + ">(");
            using (w.Indent())
            {
                w.Line("apiRequest,");
                w.Line("static status => status switch");
                w.Line("{");
                foreach (var variant in result.Variants.Where(v => v.Body is not null))
                {
                    w.Line("    " + variant.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + " => static (ref " + Reader + " r) => new " + full + "." + variant.CSharpName + "(" + ReadExpression(client, variant.Body!, "r") + "),");
                }
                w.Line("    _ => null,");
                w.Line("},");
                w.Line("static status => status switch");
                w.Line("{");
                foreach (var variant in result.Variants.Where(v => v.Body is null))
                {
                    w.Line("    " + variant.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + " => new " + full + "." + variant.CSharpName + "(),");
                }
                w.Line("    _ => null,");
                w.Line("},");
                w.Line("cancellationToken);");
            }
        }

        /// <summary>An expression that reads one value of <paramref name="type"/> from the reader named <paramref name="reader"/>.</summary>
        private static string ReadExpression(ClientModel client, TypeRef type, string reader) =>
            type.Nullable
                ? Primitives + (type.IsValueType ? ".ReadOrNullValue" : ".ReadOrNull") + "(ref " + reader + ", " + ReadDelegate(client, type.WithNullable(false), 1) + ")"
                : ReadCall(client, type, reader, 0);

        private static void EmitPaging(SourceWriter w, ClientModel client, OperationModel operation, PagingModel paging)
        {
            var ns = client.Namespace;
            var filters = operation.Parameters.Where(p => p.CSharpName != paging.CursorParameter).ToList();
            var signature = string.Join(", ", filters.Select(p => ParameterDeclaration(ns, p)).Concat(new[] { CancellationTokenType + " cancellationToken = default" }));
            var arguments = string.Join(", ", filters.Select(p => p.CSharpName + ": " + p.CSharpName)
                .Concat(new[] { paging.CursorParameter + ": pageCursor", "cancellationToken: pageCancellationToken" }));
            var pageType = CSharpType(ns, operation.Response.Type!.WithNullable(false));
            var itemType = CSharpType(ns, paging.ItemType);
            var fetch = "(pageCursor, pageCancellationToken) => " + operation.MethodName + "(" + arguments + ")";
            var next = "static pageResponse => " + Primitives + ".NextCursor(" + Access("pageResponse", paging.NextCursor) + ", " + (paging.HasMore.IsEmpty ? "null" : Access("pageResponse", paging.HasMore)) + ")";
            var items = "static pageResponse => " + Access("pageResponse", paging.Items) + (paging.Items.Any(s => s.MayBeNull) ? " ?? global::System.Array.Empty<" + itemType + ">()" : "");

            w.Line();
            OperationDocs(w, ns, operation with { Summary = (operation.Summary ?? operation.OperationId) + " Every item of every page, fetched page by page as the enumeration proceeds." }, filters.ToEquatableArray(), returns: "The items, in order; the next page is requested when the current one is used up.");
            if (operation.Deprecated) w.Line("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
            w.Line("public global::System.Collections.Generic.IAsyncEnumerable<" + itemType + "> " + paging.AllMethodName + "(" + signature + ") =>");
            using (w.Indent())
            {
                w.Line(Runtime + ".Pager.ItemsAsync<" + pageType + ", " + itemType + ">(");
                using (w.Indent())
                {
                    w.Line(fetch + ",");
                    w.Line(next + ",");
                    w.Line(items + ",");
                    w.Line("cancellationToken);");
                }
            }

            w.Line();
            OperationDocs(w, ns, operation with { Summary = (operation.Summary ?? operation.OperationId) + " Every page, fetched one at a time as the enumeration proceeds." }, filters.ToEquatableArray(), returns: "The pages, in order.");
            if (operation.Deprecated) w.Line("[global::System.Obsolete(\"The API marks this operation as deprecated.\")]");
            w.Line("public global::System.Collections.Generic.IAsyncEnumerable<" + pageType + "> " + paging.PagesMethodName + "(" + signature + ") =>");
            using (w.Indent())
            {
                w.Line(Runtime + ".Pager.PagesAsync<" + pageType + ">(");
                using (w.Indent())
                {
                    w.Line(fetch + ",");
                    w.Line(next + ",");
                    w.Line("cancellationToken);");
                }
            }
        }

        private static string Access(string root, EquatableArray<PathSegment> path)
        {
            var builder = new StringBuilder(root);
            var conditional = false;
            foreach (var segment in path)
            {
                builder.Append(conditional ? "?." : ".").Append(segment.CSharpName);
                conditional = segment.MayBeNull;
            }
            return builder.ToString();
        }

        private static void OperationDocs(SourceWriter w, string ns, OperationModel operation, EquatableArray<ParameterModel> parameters, string? returns, string? remarks = null)
        {
            Doc(w, "summary", operation.Summary ?? operation.Description ?? "Calls " + operation.HttpMethod + " " + operation.Path + ".");
            var description = operation.Summary is not null ? operation.Description : null;
            if (description is not null || remarks is not null) Doc(w, "remarks", remarks is null ? description! : description is null ? remarks : description + "\n\n" + remarks);
            foreach (var parameter in parameters)
            {
                var text = parameter.Description ?? parameter.Location switch
                {
                    ParameterLocation.Body => "The request body.",
                    ParameterLocation.FormBody => "The request body, sent as a URL-encoded form.",
                    ParameterLocation.MultipartBody => "The request body, sent as multipart/form-data (one part per property).",
                    ParameterLocation.TextBody or ParameterLocation.BinaryBody => "The request body, sent as " + parameter.WireName + ".",
                    _ => "The " + parameter.Location.ToString().ToLowerInvariant() + " parameter '" + parameter.WireName + "'.",
                };
                w.Line("/// <param name=\"" + parameter.CSharpName.TrimStart('@') + "\">" + Escape(OneLine(text)) + "</param>");
            }
            w.Line("/// <param name=\"cancellationToken\">Cancels the request.</param>");
            if (returns is not null) w.Line("/// <returns>" + Escape(OneLine(returns)) + "</returns>");
            var errors = operation.Errors.IsEmpty
                ? "The API answered with an error status."
                : "The API answered with an error status: " + string.Join("; ", operation.Errors.Select(e => Escape(e.Status + (e.Description is null ? "" : " (" + OneLine(e.Description).TrimEnd('.') + ")")) + BodyDoc(ns, e))) + ".";
            w.Line("/// <exception cref=\"global::TinyFish.Toolkit.Runtime.ApiException\">" + errors + "</exception>");
        }

        /// <summary>Which <c>ApiException.Body</c> type goes with an error status, for the method's docs.</summary>
        private static string BodyDoc(string ns, ErrorResponseModel error)
        {
            if (error.Bodies.IsEmpty || error.StatusKey is null) return "";
            return ", <c>Body</c> " + string.Join(" or ", error.Bodies.Select(b => b.Type.Kind is TypeKind.Object or TypeKind.Enum or TypeKind.Union
                ? "<see cref=\"" + CSharpType(ns, b.Type, nullable: false) + "\"/>"
                : "<c>" + Escape(CSharpType(ns, b.Type, nullable: false)) + "</c>"));
        }

        private static string ParameterDeclaration(string ns, ParameterModel parameter)
        {
            var type = CSharpType(ns, parameter.Type, nullable: parameter.Type.Nullable || !parameter.Required);
            return parameter.Required ? type + " " + parameter.CSharpName : type + " " + parameter.CSharpName + " = null";
        }

        private static void AddParameter(SourceWriter w, ClientModel client, ParameterModel parameter)
        {
            var name = parameter.CSharpName;
            var maybeNull = parameter.Type.Nullable || !parameter.Required;
            if (parameter.Style is { } style)
            {
                // Not a simple type: the runtime writes it with its JSON writer and spreads it by the style (null is left out).
                // A nullable value type (int?) is written by the null-aware writer, so T is the nullable type itself.
                var writeType = parameter.Type.WithNullable(maybeNull && parameter.Type.IsValueType);
                w.Line("apiRequest.WithParameter(" + Runtime + ".ApiParameterLocation." + parameter.Location + ", " + Literal(parameter.WireName) + ", " + name + ", "
                    + WriteDelegate(client, writeType, 0) + ", " + Runtime + ".ApiParameterStyle." + style + ", explode: " + (parameter.Explode ? "true" : "false") + ");");
                return;
            }
            switch (parameter.Location)
            {
                case ParameterLocation.Body or ParameterLocation.FormBody or ParameterLocation.MultipartBody:
                    var arguments = WriteDelegate(client, parameter.Type.WithNullable(false), 0);
                    var withBody = parameter.Location switch
                    {
                        ParameterLocation.Body => "WithJsonBody",
                        ParameterLocation.FormBody => "WithFormBody",
                        _ => "WithMultipartBody",
                    };
                    if (parameter.Location == ParameterLocation.MultipartBody)
                    {
                        arguments += string.Concat(parameter.BinaryProperties.Select(p => ", " + Literal(p)));
                    }
                    if (maybeNull) w.Line("if (" + name + " is { } bodyValue) apiRequest." + withBody + "(bodyValue, " + arguments + ");");
                    else w.Line("apiRequest." + withBody + "(" + name + ", " + arguments + ");");
                    break;
                case ParameterLocation.TextBody or ParameterLocation.BinaryBody:
                    var with = parameter.Location == ParameterLocation.TextBody ? "WithTextBody" : "WithBinaryBody";
                    if (maybeNull) w.Line("if (" + name + " is { } bodyValue) apiRequest." + with + "(bodyValue, " + Literal(parameter.WireName) + ");");
                    else w.Line("apiRequest." + with + "(" + name + ", " + Literal(parameter.WireName) + ");");
                    break;
                case ParameterLocation.Path:
                    var segment = parameter.Type.Kind == TypeKind.List
                        ? Joined(parameter, maybeNull: false)
                        : Text(parameter.Type, name, maybeNull) + (parameter.Type.Kind is TypeKind.String or TypeKind.Enum && !maybeNull ? "" : "!");
                    w.Line("apiRequest.WithPath(" + Literal(parameter.WireName) + ", " + segment + ");");
                    break;
                case ParameterLocation.Query:
                    var query = parameter.Type.Kind != TypeKind.List ? Text(parameter.Type, name, maybeNull)
                        : parameter.Delimiter is null ? Texts(parameter.Type, name, maybeNull)
                        : Joined(parameter, maybeNull);
                    w.Line("apiRequest.WithQuery(" + Literal(parameter.WireName) + ", " + query + ");");
                    break;
                case ParameterLocation.Header:
                    var value = parameter.Type.Kind == TypeKind.List ? Joined(parameter, maybeNull) : Text(parameter.Type, name, maybeNull);
                    w.Line("apiRequest.WithHeader(" + Literal(parameter.WireName) + ", " + value + ");");
                    break;
            }
        }

        /// <summary>An array parameter as one value, its items joined by the parameter's delimiter (<c>1,2,3</c>).</summary>
        private static string Joined(ParameterModel parameter, bool maybeNull)
        {
            var join = "string.Join(" + Literal(parameter.Delimiter ?? ",") + ", " + Items(parameter.Type, parameter.CSharpName) + ")";
            return maybeNull ? parameter.CSharpName + " is null ? null : " + join : join;
        }

        /// <summary>One registration per model the error body may be read as (see <c>ApiRequest.WithErrorBody</c>).</summary>
        private static void AddErrorBodies(SourceWriter w, ClientModel client, ErrorResponseModel error)
        {
            if (error.Bodies.IsEmpty || error.StatusKey is not { } key) return;
            var call = key switch
            {
                0 => "apiRequest.WithDefaultErrorBody(",
                < 0 => "apiRequest.WithErrorBodyRange(" + (-key).ToString(System.Globalization.CultureInfo.InvariantCulture) + ", ",
                _ => "apiRequest.WithErrorBody(" + key.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", ",
            };
            var variants = error.Bodies.Count > 1;
            foreach (var body in error.Bodies)
            {
                var required = variants ? string.Concat(body.RequiredProperties.Select(p => ", " + Literal(p))) : "";
                w.Line(call + ReadDelegate(client, body.Type, 0) + required + ");");
            }
        }

        /// <summary>An expression of type <c>string?</c> for a scalar parameter.</summary>
        private static string Text(TypeRef type, string expression, bool maybeNull) => type.Kind switch
        {
            TypeKind.String => expression,
            TypeKind.Enum => expression + (maybeNull ? "?.Value" : ".Value"),
            _ => Primitives + ".FormatParameter(" + expression + ")",
        };

        /// <summary>An expression of type <c>IEnumerable&lt;string&gt;?</c> for a list parameter, one text per item.</summary>
        private static string Texts(TypeRef type, string expression, bool maybeNull)
        {
            var items = Items(type, expression);
            return maybeNull && items != expression ? expression + " is null ? null : " + items : items;
        }

        /// <summary>The items of the non-null list <paramref name="expression"/> as texts (<c>IEnumerable&lt;string&gt;</c>).</summary>
        private static string Items(TypeRef type, string expression)
        {
            var element = type.Element!;
            if (element.Kind == TypeKind.String && !element.Nullable) return expression;
            var item = element.Kind switch
            {
                TypeKind.String => "item ?? \"\"",
                TypeKind.Enum => element.Nullable ? "item?.Value ?? \"\"" : "item.Value",
                _ => Primitives + ".FormatParameter(item) ?? \"\"",
            };
            return "global::System.Linq.Enumerable.Select(" + expression + ", static item => " + item + ")";
        }

        private static string HttpMethod(string method) => method switch
        {
            "GET" => "global::System.Net.Http.HttpMethod.Get",
            "POST" => "global::System.Net.Http.HttpMethod.Post",
            "PUT" => "global::System.Net.Http.HttpMethod.Put",
            "DELETE" => "global::System.Net.Http.HttpMethod.Delete",
            "PATCH" => "global::System.Net.Http.HttpMethod.Patch",
            "HEAD" => "global::System.Net.Http.HttpMethod.Head",
            "OPTIONS" => "global::System.Net.Http.HttpMethod.Options",
            "TRACE" => "global::System.Net.Http.HttpMethod.Trace",
            _ => "new global::System.Net.Http.HttpMethod(" + Literal(method) + ")",
        };

        // ---- Types and their C# names -------------------------------------------------------

        internal static string CSharpType(string ns, TypeRef type) => CSharpType(ns, type, type.Nullable);

        internal static string CSharpType(string ns, TypeRef type, bool nullable)
        {
            var name = type.Kind switch
            {
                TypeKind.String => "string",
                TypeKind.Int32 => "int",
                TypeKind.Int64 => "long",
                TypeKind.Double => "double",
                TypeKind.Decimal => "decimal",
                TypeKind.Boolean => "bool",
                TypeKind.DateTimeOffset => "global::System.DateTimeOffset",
                TypeKind.DateOnly => "global::System.DateOnly",
                TypeKind.Guid => "global::System.Guid",
                TypeKind.Uri => "global::System.Uri",
                TypeKind.Bytes => "byte[]",
                TypeKind.Json => Element,
                TypeKind.List => "global::System.Collections.Generic.IReadOnlyList<" + CSharpType(ns, type.Element!) + ">",
                TypeKind.Map => "global::System.Collections.Generic.IReadOnlyDictionary<string, " + CSharpType(ns, type.Element!) + ">",
                _ => "global::" + ns + "." + type.Name,
            };
            return nullable ? name + "?" : name;
        }

        private static string? PrimitiveName(TypeKind kind) => kind switch
        {
            TypeKind.String => "String",
            TypeKind.Int32 => "Int32",
            TypeKind.Int64 => "Int64",
            TypeKind.Double => "Double",
            TypeKind.Decimal => "Decimal",
            TypeKind.Boolean => "Boolean",
            TypeKind.DateTimeOffset => "DateTimeOffset",
            TypeKind.DateOnly => "DateOnly",
            TypeKind.Guid => "Guid",
            TypeKind.Uri => "Uri",
            TypeKind.Bytes => "Bytes",
            TypeKind.Json => "JsonElement",
            _ => null,
        };

        private static string JsonClass(ClientModel client) => "global::" + client.Namespace + "." + client.JsonClassName;

        /// <summary>A call that reads a non-null <paramref name="type"/> from <paramref name="reader"/>.</summary>
        private static string ReadCall(ClientModel client, TypeRef type, string reader, int depth) => type.Kind switch
        {
            TypeKind.List => Primitives + ".ReadList(ref " + reader + ", " + ReadDelegate(client, type.Element!, depth + 1) + ")",
            TypeKind.Map => Primitives + ".ReadMap(ref " + reader + ", " + ReadDelegate(client, type.Element!, depth + 1) + ")",
            TypeKind.Object or TypeKind.Enum or TypeKind.Union => JsonClass(client) + ".Read" + type.Name + "(ref " + reader + ")",
            _ => Primitives + ".Read" + PrimitiveName(type.Kind) + "(ref " + reader + ")",
        };

        /// <summary>A <c>JsonReadFunc&lt;T&gt;</c> for <paramref name="type"/> (null-aware when it is nullable).</summary>
        private static string ReadDelegate(ClientModel client, TypeRef type, int depth)
        {
            var r = "r" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (type.Nullable)
            {
                var inner = ReadDelegate(client, type.WithNullable(false), depth + 1);
                return "static (ref " + Reader + " " + r + ") => " + Primitives + (type.IsValueType ? ".ReadOrNullValue" : ".ReadOrNull") + "(ref " + r + ", " + inner + ")";
            }
            return type.Kind switch
            {
                TypeKind.List or TypeKind.Map => "static (ref " + Reader + " " + r + ") => " + ReadCall(client, type, r, depth),
                TypeKind.Object or TypeKind.Enum or TypeKind.Union => JsonClass(client) + ".Read" + type.Name,
                _ => Primitives + ".Read" + PrimitiveName(type.Kind),
            };
        }

        /// <summary>A statement-expression that writes a non-null <paramref name="value"/> of <paramref name="type"/>.</summary>
        private static string WriteCall(ClientModel client, TypeRef type, string writer, string value, int depth) => type.Kind switch
        {
            TypeKind.List => Primitives + ".WriteList(" + writer + ", " + value + ", " + WriteDelegate(client, type.Element!, depth + 1) + ")",
            TypeKind.Map => Primitives + ".WriteMap(" + writer + ", " + value + ", " + WriteDelegate(client, type.Element!, depth + 1) + ")",
            TypeKind.Object or TypeKind.Enum or TypeKind.Union => JsonClass(client) + ".Write" + type.Name + "(" + writer + ", " + value + ")",
            _ => Primitives + ".Write" + PrimitiveName(type.Kind) + "(" + writer + ", " + value + ")",
        };

        /// <summary>A <c>JsonWriteAction&lt;T&gt;</c> for <paramref name="type"/> (null-aware when it is nullable).</summary>
        private static string WriteDelegate(ClientModel client, TypeRef type, int depth)
        {
            var suffix = depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (w, v) = ("w" + suffix, "v" + suffix);
            if (type.Nullable)
            {
                var inner = WriteDelegate(client, type.WithNullable(false), depth + 1);
                return "static (" + w + ", " + v + ") => " + Primitives + (type.IsValueType ? ".WriteOrNullValue" : ".WriteOrNull") + "(" + w + ", " + v + ", " + inner + ")";
            }
            return type.Kind switch
            {
                TypeKind.List or TypeKind.Map => "static (" + w + ", " + v + ") => " + WriteCall(client, type, w, v, depth),
                TypeKind.Object or TypeKind.Enum or TypeKind.Union => JsonClass(client) + ".Write" + type.Name,
                _ => Primitives + ".Write" + PrimitiveName(type.Kind),
            };
        }

        // ---- Text helpers -----------------------------------------------------------------------

        internal static string Literal(string value)
        {
            var builder = new StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\0': builder.Append("\\0"); break;
                    default:
                        if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085') builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                        else builder.Append(c);
                        break;
                }
            }
            return builder.Append('"').ToString();
        }

        /// <summary>
        /// C#'s line terminators: CR, LF, NEL, U+2028 and U+2029. Spec text that kept one inside a <c>///</c> line would end
        /// the comment there, and the rest of the line would be compiled as code.
        /// </summary>
        private static readonly char[] LineBreaks = ['\r', '\n', '\u0085', '\u2028', '\u2029'];

        /// <summary>Text for one line of an XML doc comment: XML's special characters escaped; line terminators and other control characters (which XML does not allow) as spaces.</summary>
        private static string Escape(string text)
        {
            StringBuilder? builder = null;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                var replacement = c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    _ => c != '\t' && (c is '\u2028' or '\u2029' || char.IsControl(c)) ? " " : null,
                };
                if (replacement is null)
                {
                    builder?.Append(c);
                    continue;
                }
                // Most text needs nothing: the builder starts at the first character that does.
                builder ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
                builder.Append(replacement);
            }
            return builder?.ToString() ?? text;
        }

        private static string OneLine(string text) => string.Join(" ", text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.Length > 0));

        /// <summary>An XML doc element; multi-line text keeps its lines (blank lines become paragraphs).</summary>
        private static void Doc(SourceWriter w, string tag, string text)
        {
            var lines = text.Replace("\r\n", "\n").Split(LineBreaks).Select(l => l.TrimEnd()).ToList();
            while (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
            if (lines.Count <= 1)
            {
                w.Line("/// <" + tag + ">" + Escape(lines.FirstOrDefault() ?? "") + "</" + tag + ">");
                return;
            }
            w.Line("/// <" + tag + ">");
            foreach (var line in lines) w.Line(line.Length == 0 ? "/// <para/>" : "/// " + Escape(line));
            w.Line("/// </" + tag + ">");
        }
    }
}
