using Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Generator.Tests;

/// <summary>Problems in a spec become located TFG diagnostics, never a generator crash.</summary>
public sealed class ClientGeneratorDiagnosticsTests
{
    private static GenerationResult Generate(string text, string fileName = "broken.openapi.yaml") =>
        GeneratorHarness.Generate(new SpecInput("/specs/" + fileName, text));

    private const string ValidHead = """
        openapi: 3.1.0
        info: { title: T, version: '1' }
        """;

    [Test]
    public void Broken_yaml_reports_TFG0001_at_the_line_and_column_of_the_syntax_error()
    {
        var result = Generate("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: [1, 2\n");

        var diagnostic = result.Diagnostics("TFG0001").Single();
        var span = diagnostic.Location.GetLineSpan();
        Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(span.Path, Is.EqualTo("/specs/broken.openapi.yaml"));
        Assert.That(span.StartLinePosition.Line + 1, Is.EqualTo(7), "1-based line of the error as YAML reports it");
        Assert.That(diagnostic.ToString(), Does.StartWith("/specs/broken.openapi.yaml(7,1): error TFG0001: The OpenAPI file cannot be read"));
        Assert.That(result.Sources, Is.Empty);
        Assert.That(result.Result.Exception, Is.Null);
    }

    [TestCase("broken.openapi.yaml", "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: [1, 2\n", "(7,1)")]
    [TestCase("broken.openapi.json", "{\n  \"openapi\": \"3.0.1\",\n  \"info\": ", "(3,11)")]
    public void TFG0001_gives_the_position_once_one_based(string fileName, string text, string position)
    {
        var diagnostic = Generate(text, fileName).Diagnostics("TFG0001").Single().ToString();

        Assert.That(diagnostic, Does.Contain(fileName + position + ": error TFG0001"));
        Assert.That(diagnostic, Does.Not.Contain("Lin:").And.Not.Contain("line ").And.Not.Contain("LineNumber").And.Not.Contain("BytePosition"), "the reader's own positions (zero-based in part) are left out");
    }

    [Test]
    public void Help_links_open_the_catalog_the_build_names_and_are_absent_without_one()
    {
        var text = ValidHead + "\npaths:\n  /a:\n    get:\n      responses:\n        '204': { description: none }\n";
        var spec = new SpecInput("/specs/a.openapi.yaml", text);

        var fromPackage = GeneratorHarness.Generate(new Dictionary<string, string> { ["TinyFishGeneratorDiagnosticsDoc"] = "/home/me/.nuget/packages/tinyfish.toolkit.generator/0.1.0/docs/diagnostics.md" }, spec);
        var fromAddress = GeneratorHarness.Generate(new Dictionary<string, string> { ["TinyFishGeneratorDiagnosticsDoc"] = "https://docs.example/diagnostics.html" }, spec);
        var unset = GeneratorHarness.Generate(spec);

        Assert.Multiple(() =>
        {
            Assert.That(fromPackage.Diagnostics("TFG0010").Single().Descriptor.HelpLinkUri, Is.EqualTo("file:///home/me/.nuget/packages/tinyfish.toolkit.generator/0.1.0/docs/diagnostics.md#tfg0010"));
            Assert.That(fromAddress.Diagnostics("TFG0010").Single().Descriptor.HelpLinkUri, Is.EqualTo("https://docs.example/diagnostics.html#tfg0010"));
            Assert.That(unset.Diagnostics("TFG0010").Single().Descriptor.HelpLinkUri, Is.Empty, "no link rather than one that opens nothing");
        });
    }

    [Test]
    public void The_package_props_point_help_links_at_a_catalog_that_exists_in_the_repository_and_in_the_package()
    {
        var props = File.ReadAllText(Path.Combine(TestPaths.Repository, "generator", "build", "TinyFish.Toolkit.Generator.props"));
        var project = File.ReadAllText(Path.Combine(TestPaths.Repository, "generator", "TinyFish.Toolkit.Generator.csproj"));

        Assert.That(props, Does.Contain("$(MSBuildThisFileDirectory)../docs/diagnostics.md").And.Contain("$(MSBuildThisFileDirectory)../../docs/diagnostics.md"));
        Assert.That(project, Does.Contain("PackagePath=\"docs/diagnostics.md\""), "the package carries the catalog beside build/");
        Assert.That(File.Exists(Path.Combine(TestPaths.Repository, "docs", "diagnostics.md")));
    }

    [Test]
    public void Broken_json_reports_TFG0001_in_the_json_file()
    {
        var result = Generate("{\n  \"openapi\": \"3.0.1\",\n  \"info\": ", "broken.openapi.json");

        var diagnostic = result.Diagnostics("TFG0001").Single();
        Assert.That(diagnostic.Location.GetLineSpan().Path, Is.EqualTo("/specs/broken.openapi.json"));
        Assert.That(diagnostic.Location.GetLineSpan().StartLinePosition.Line, Is.EqualTo(2));
    }

    [TestCase("")]
    [TestCase("   \n\n")]
    public void Empty_file_reports_TFG0001(string text)
    {
        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0001").Single().GetMessage(), Does.Contain("empty"));
    }

    [Test]
    public void Reader_problem_reports_TFG0002_at_the_node_the_pointer_names()
    {
        var text = ValidHead + """

            paths:
              /a/{id}:
                get:
                  operationId: getA
                  parameters:
                    - name: id
                      in: nowhere
                  responses:
                    '204': { description: none }
            """;

        var result = Generate(text);

        var diagnostics = result.Diagnostics("TFG0002");
        Assert.That(diagnostics, Is.Not.Empty);
        Assert.That(diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1), Has.Some.InRange(7, 9), "located on the parameter, not the file start");
        Assert.That(diagnostics.All(d => d.Severity == DiagnosticSeverity.Warning));
    }

    [Test]
    public void Method_names_are_claimed_only_for_methods_generated_and_clashes_number_the_stem_with_TFG0005_or_TFG0014()
    {
        var text = ValidHead + """

            paths:
              /repo:
                get:
                  operationId: repos/get
                  responses:
                    '200': { description: ok, content: { application/json: { schema: { type: object, properties: { id: { type: string } } } } } }
              /repo/pages:
                get:
                  operationId: repos/get-pages
                  responses:
                    '204': { description: none }
              /items:
                get:
                  operationId: listItems
                  parameters:
                    - { name: cursor, in: query, schema: { type: string } }
                  responses:
                    '200':
                      description: A page.
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              data: { type: array, items: { type: string } }
                              next_cursor: { type: [string, 'null'] }
              /items/all:
                get:
                  operationId: listItemsAll
                  responses:
                    '204': { description: none }
              /things/a:
                get:
                  operationId: getThing
                  responses:
                    '204': { description: none }
              /things/b:
                get:
                  operationId: getThing
                  responses:
                    '204': { description: none }
            """;

        var result = Generate(text);

        var source = result.Source("BrokenClient.Client.g.cs");
        Assert.That(source, Does.Contain(" ReposGetAsync(").And.Contain(" ReposGetPagesAsync("), "a method that is not paged claims no paging names");
        Assert.That(source, Does.Contain(" ListItemsAllAsync(").And.Contain(" ListItemsPagesAsync(").And.Contain(" ListItemsAll2Async("));
        Assert.That(source, Does.Contain(" GetThingAsync(").And.Contain(" GetThing2Async("));
        Assert.That(result.Diagnostics("TFG0005").Select(d => d.GetMessage()), Is.EquivalentTo(new[]
        {
            "Operation 'listItemsAll' is generated as 'ListItemsAll2Async' because another method is already named 'ListItemsAllAsync'",
        }), "a paging method took the name: an info");
        var duplicate = result.Diagnostics("TFG0014").Single();
        Assert.That(duplicate.GetMessage(), Is.EqualTo(
            "Operation GET /things/b ('getThing') gets the method name 'GetThingAsync' that GET /things/a ('getThing') already has; it is generated as 'GetThing2Async'"));
        Assert.That(duplicate.Severity, Is.EqualTo(DiagnosticSeverity.Warning), "a duplicate operationId is a warning users see");
        Assert.That(duplicate.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(40), "at the second operation");
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [Test]
    public void A_dangling_ref_is_an_error_at_the_ref_and_the_rest_still_generates()
    {
        var text = ValidHead + """

            paths:
              /a:
                get:
                  operationId: getA
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Tpyo' }
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    other:
                      $ref: '#/components/schemas/Missing'
            """;

        var result = Generate(text);

        var errors = result.Diagnostics("TFG0013");
        Assert.That(errors.Select(d => d.Severity), Is.All.EqualTo(DiagnosticSeverity.Error), "the build fails");
        Assert.That(errors.Select(d => (d.Location.GetLineSpan().StartLinePosition.Line + 1, d.GetMessage())), Is.EquivalentTo(new[]
        {
            (12, "The reference '#/components/schemas/Tpyo' points to nothing in this document; the schema that uses it is generated as System.Text.Json.JsonElement"),
            (19, "The reference '#/components/schemas/Missing' points to nothing in this document; the schema that uses it is generated as System.Text.Json.JsonElement"),
        }), "at the $ref line");
        Assert.That(result.Diagnostics("TFG0002").Select(d => d.GetMessage()), Is.Empty, "the reader's own warning for the same $ref is not repeated beside the error");
        Assert.That(result.Diagnostics("TFG0003"), Is.Empty);
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain(" GetAAsync("));
    }

    [Test]
    public void References_into_a_schema_or_an_operation_are_followed_and_only_a_pointer_to_nothing_is_an_error()
    {
        var text = """
            openapi: 3.0.1
            info: { title: Refs, version: '1' }
            paths:
              /a:
                get:
                  operationId: getA
                  parameters:
                    - { name: limit, in: query, schema: { $ref: '#/components/schemas/Transfer/properties/size' } }
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Transfer/properties/amount' }
              /b:
                get:
                  operationId: getB
                  parameters:
                    - $ref: '#/paths/~1a/get/parameters/0'
                    - $ref: '#/paths/~1a/get/parameters/5'
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              first: { $ref: '#/paths/~1a/get/responses/200/content/application~1json/schema' }
                              currency: { $ref: '#/components/schemas/Transfer/properties/currency' }
                              gone: { $ref: '#/components/schemas/Transfer/properties/nothing' }
                post:
                  operationId: postB
                  requestBody:
                    content:
                      text/plain:
                        schema: { $ref: '#/components/schemas/Transfer/properties/currency' }
                  responses:
                    '204': { description: none }
            components:
              schemas:
                currency: { type: integer, description: "A component named like the pointer's last segment, which the pointer does not mean." }
                Transfer:
                  type: object
                  properties:
                    amount: { type: object, required: [value], properties: { value: { type: number } } }
                    currency: { type: string }
                    size: { type: integer }
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0013").Select(d => (d.Location.GetLineSpan().StartLinePosition.Line + 1, d.GetMessage())), Is.EqualTo(new[]
        {
            (31, "The reference '#/components/schemas/Transfer/properties/nothing' points to nothing in this document; the schema that uses it is generated as System.Text.Json.JsonElement"),
        }));
        Assert.That(result.Diagnostics("TFG0003").Select(d => d.GetMessage()), Is.EqualTo(new[]
        {
            "The parameter reference '#/paths/~1a/get/parameters/5' is not supported (it points to no parameter in this document); it is generated as no parameter",
        }), "a parameter is never dropped silently");
        var getB = result.Compilation.GetTypeByMetadataName("Test.Api.BrokenClient")!.GetMembers("GetBAsync").OfType<IMethodSymbol>().Single();
        Assert.That(getB.Parameters.Single(p => p.Name == "limit").Type.ToDisplayString(), Is.EqualTo("int?"), "the parameter a pointer reaches in another operation, its own pointer followed where it is written");
        Assert.That(result.Diagnostics("TFG0002").Select(d => d.GetMessage()), Is.Empty, "the reader's warnings about references that reach something are dropped, a text body's too");
        Assert.That(result.CompileProblems(), Is.Empty);
        var answer = result.Compilation.GetTypeByMetadataName("Test.Api.GetBResponse")!;
        Assert.That(answer.GetMembers("Currency").OfType<IPropertySymbol>().Single().Type.ToDisplayString(), Is.EqualTo("string?"), "Transfer's currency, not the component named currency");
        Assert.That(answer.GetMembers("First").OfType<IPropertySymbol>().Single().Type.ToDisplayString(), Is.EqualTo("Test.Api.GetAResponse?"), "the same type as getA's answer");
        Assert.That(result.Compilation.GetTypeByMetadataName("Test.Api.GetAResponse")!.GetMembers("Value"), Is.Not.Empty);
    }

    [Test]
    public void A_response_that_points_into_another_operation_is_read_where_it_is_written()
    {
        var text = """
            openapi: 3.0.1
            info: { title: Refs, version: '1' }
            paths:
              /a:
                get:
                  operationId: getA
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              id: { type: string }
                              size: { $ref: '#/components/schemas/Transfer/properties/size' }
                    '404':
                      description: missing
                      content:
                        application/json:
                          schema: { type: object, required: [message], properties: { message: { type: string } } }
              /b:
                get:
                  operationId: getB
                  responses:
                    '200': { $ref: '#/paths/~1a/get/responses/200' }
                    '404': { $ref: '#/paths/~1a/get/responses/404' }
                    '500': { $ref: '#/paths/~1a/get/responses/500' }
            components:
              schemas:
                size: { type: string, description: "A component named like the pointer's last segment, which the pointer does not mean." }
                Transfer:
                  type: object
                  properties:
                    size: { type: integer }
            """;

        var result = Generate(text);

        var client = result.Compilation.GetTypeByMetadataName("Test.Api.BrokenClient")!;
        var getB = client.GetMembers("GetBAsync").OfType<IMethodSymbol>().Single();
        var answer = ((INamedTypeSymbol)getB.ReturnType).TypeArguments.Single();
        Assert.Multiple(() =>
        {
            Assert.That(answer.ToDisplayString(), Is.EqualTo("Test.Api.GetAResponse"), "the type of the body where it is written, not a copy");
            Assert.That(answer.GetMembers("Id").OfType<IPropertySymbol>().Single().Type.ToDisplayString(), Is.EqualTo("string?"), "the success body of the response pointed to");
            Assert.That(answer.GetMembers("Size").OfType<IPropertySymbol>().Single().Type.ToDisplayString(), Is.EqualTo("int?"), "a pointer inside it followed where it is written");
            Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain("GetAError404").And.Not.Contain("GetBError404"), "the error body of the response pointed to");
            Assert.That(result.Diagnostics("TFG0003").Select(d => d.GetMessage()), Is.EqualTo(new[]
            {
                "The response reference '#/paths/~1a/get/responses/500' is not supported (it points to no response in this document); it is generated as a response without a body",
            }), "a pointer that reaches nothing is never silent");
            Assert.That(result.Diagnostics("TFG0002"), Is.Empty);
            Assert.That(result.CompileProblems(), Is.Empty);
        });
    }

    [Test]
    public void Swagger_2_fields_the_reader_does_not_know_are_not_reported_but_real_problems_are()
    {
        var text = """
            swagger: '2.0'
            info: { title: T, version: '1' }
            paths:
              /items:
                get:
                  operationId: listItems
                  schemes: [https]
                  parameters:
                    - name: ids
                      in: query
                      type: array
                      items: { type: string }
                      uniqueItems: true
                      maxItems: 10
                    - name: broken
                      in: nowhere
                      type: string
                  responses:
                    '200': { description: ok }
            """;

        var result = Generate(text);

        var messages = result.Diagnostics("TFG0002").Select(d => d.GetMessage()).ToList();
        Assert.That(messages, Has.None.Contains("uniqueItems").And.None.Contains("maxItems").And.None.Contains("schemes"));
        Assert.That(messages, Is.Not.Empty, "the invalid 'in' is still reported");
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain("ListItemsAsync("));
    }

    [Test]
    public void OneOf_of_two_objects_nothing_tells_apart_warns_TFG0003_at_the_property_and_falls_back_to_JsonElement()
    {
        var text = ValidHead + """

            paths: {}
            components:
              schemas:
                Box:
                  type: object
                  properties:
                    content:
                      oneOf:
                        - { type: object, properties: { a: { type: string } } }
                        - { type: object, properties: { a: { type: integer } } }
            """;

        var result = Generate(text);

        var diagnostic = result.Diagnostics("TFG0003").Single();
        Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
        Assert.That(diagnostic.GetMessage(), Does.Contain("variants #0 and #1 require the same properties (none) and neither declares a property that the other object variants do not"));
        Assert.That(diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(9), "the line of 'content:'");
        Assert.That(result.Source("BrokenClient.Box.g.cs"), Does.Contain("global::System.Text.Json.JsonElement? Content { get; init; }"));
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [TestCase(32, 0)]
    [TestCase(33, 1)]
    public void Objects_told_apart_by_their_own_properties_may_look_for_64_names_at_most(int ownEach, int warnings)
    {
        // Neither requires anything; both declare 'name', which tells neither, so the reader looks for 2 × ownEach names.
        string Variant(string prefix) => "{ type: object, properties: { name: { type: string }, "
            + string.Join(", ", Enumerable.Range(0, ownEach).Select(i => prefix + i + ": { type: string }")) + " } }";
        var text = ValidHead + $$"""

            paths: {}
            components:
              schemas:
                Box:
                  oneOf:
                    - {{Variant("a")}}
                    - {{Variant("b")}}
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0003").Select(d => d.GetMessage()).ToList(), Has.Count.EqualTo(warnings).And.All.Contains("more than 64 distinct properties"));
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [Test]
    public void Deprecated_alias_that_clashes_is_renamed_Alias_with_TFG0005_and_obsolete_with_its_description()
    {
        var text = ValidHead + """

            paths: {}
            components:
              schemas:
                Run:
                  type: object
                  required: [legacy_id, legacyId]
                  properties:
                    streamingUrl:
                      type: string
                      deprecated: true
                      description: Old spelling of "streaming_url".
                    streaming_url: { type: string }
                    count: { type: integer }
                    Count: { type: integer }
                    legacy_id: { type: string }
                    legacyId: { type: string, deprecated: true }
            """;

        var result = Generate(text);

        var source = result.Source("BrokenClient.Run.g.cs");
        Assert.That(source, Does.Contain("public string? StreamingUrl { get; init; }"), "the current property keeps the plain name even when listed second");
        Assert.That(source, Does.Contain("[global::System.Obsolete(\"Old spelling of \\\"streaming_url\\\".\")]\n    public string? StreamingUrlAlias { get; init; }"));
        Assert.That(source, Does.Contain("public int? Count2 { get; init; }"), "a clash that is not deprecated gets a number");
        Assert.That(source, Does.Contain("public required string LegacyIdAlias { get; init; }"), "a required deprecated property is not [Obsolete] (CS9042)");
        Assert.That(result.Diagnostics("TFG0005").Select(d => d.GetMessage()), Has.Some.Contains("'streamingUrl' is generated as 'StreamingUrlAlias'"));
        Assert.That(result.Diagnostics("TFG0005").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1), Has.Member(10), "located at 'streamingUrl:'");
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [Test]
    public void Unsupported_security_scheme_reports_TFG0007_and_the_client_sends_no_credential()
    {
        var text = ValidHead + """

            paths: {}
            security: [{ oauth: [] }]
            components:
              securitySchemes:
                oauth:
                  type: oauth2
                  flows: { clientCredentials: { tokenUrl: 'https://x/token', scopes: {} } }
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0007").Single().Severity, Is.EqualTo(DiagnosticSeverity.Info));
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain("ApiCredentialScheme.None"));
    }

    [Test]
    public void A_URL_encoded_form_body_that_is_not_an_object_skips_the_operation_with_TFG0008()
    {
        var text = ValidHead + """

            paths:
              /search:
                post:
                  operationId: search
                  requestBody:
                    content:
                      application/x-www-form-urlencoded:
                        schema: { type: string }
                  responses:
                    '204': { description: ok }
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0008").Single().GetMessage(), Does.Contain("search").And.Contain("not an object"));
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Not.Contain("SearchAsync"));
    }

    [Test]
    public void A_form_body_without_a_schema_skips_the_operation_with_TFG0008()
    {
        var text = ValidHead + """

            paths:
              /upload:
                post:
                  operationId: upload
                  requestBody:
                    required: true
                    content:
                      multipart/form-data: {}
                  responses:
                    '204': { description: ok }
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0008").Single().GetMessage(), Does.Contain("upload").And.Contain("multipart/form-data").And.Contain("without a schema"));
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Not.Contain("UploadAsync"));
    }

    [Test]
    public void Invalid_x_pagination_reports_TFG0006()
    {
        var text = ValidHead + """

            paths:
              /things:
                get:
                  operationId: listThings
                  x-pagination: { items: nope }
                  parameters:
                    - { name: cursor, in: query, schema: { type: string } }
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              data: { type: array, items: { type: string } }
                              next_cursor: { type: string }
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0006").Single().GetMessage(), Does.Contain("listThings").And.Contain("items"));
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain("ListThingsAsync").And.Not.Contain("ListThingsAllAsync"));
    }

    [Test]
    public void Several_2xx_responses_with_different_bodies_return_one_record_per_status_and_no_TFG0011()
    {
        var text = ValidHead + """

            paths:
              /things:
                post:
                  operationId: putThing
                  responses:
                    '200': { description: Updated., content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                    '201':
                      description: Created.
                      content: { application/json: { schema: { $ref: '#/components/schemas/Receipt' } } }
                    '202': { description: Same body., content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                    '204': { description: No body. }
            components:
              schemas:
                Thing: { type: object, properties: { id: { type: string } } }
                Receipt: { type: object, properties: { ticket: { type: string } } }
            """;

        var result = Generate(text);

        Assert.That(result.Diagnostics("TFG0011"), Is.Empty);
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain("Task<global::Test.Api.PutThingResult> PutThingAsync("));
        Assert.That(result.Source("BrokenClient.PutThingResult.g.cs"), Does.Contain("public abstract record PutThingResult(int StatusCode)")
            .And.Contain("public sealed record Ok(global::Test.Api.Thing Body) : PutThingResult(200);")
            .And.Contain("public sealed record Created(global::Test.Api.Receipt Body) : PutThingResult(201);")
            .And.Contain("public sealed record Accepted(global::Test.Api.Thing Body) : PutThingResult(202);")
            .And.Contain("public sealed record NoContent() : PutThingResult(204);"));
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [Test]
    public void Different_2xx_bodies_under_a_range_key_report_TFG0011_at_the_other_response_and_return_the_first()
    {
        var text = ValidHead + """

            paths:
              /things:
                post:
                  operationId: putThing
                  responses:
                    '200': { description: Updated., content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                    '2XX':
                      description: Anything else.
                      content: { application/json: { schema: { $ref: '#/components/schemas/Receipt' } } }
            components:
              schemas:
                Thing: { type: object, properties: { id: { type: string } } }
                Receipt: { type: object, properties: { ticket: { type: string } } }
            """;

        var result = Generate(text);

        var diagnostic = result.Diagnostics("TFG0011").Single();
        Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Info));
        Assert.That(diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1, Is.EqualTo(9), "the line of '2XX':");
        Assert.That(diagnostic.GetMessage(), Does.Contain("'putThing' answers 2XX").And.Contain("returns the 200 type"));
        Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain("Task<global::Test.Api.Thing> PutThingAsync("));
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [Test]
    public void Error_responses_register_typed_bodies_per_status_range_and_default_and_unions_without_discriminator_by_required_properties()
    {
        var text = ValidHead + """

            paths:
              /things/{id}:
                get:
                  operationId: getThing
                  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
                  responses:
                    '200': { description: OK., content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                    '404': { description: Missing., content: { application/json: { schema: { $ref: '#/components/schemas/Problem' } } } }
                    '4XX': { description: Client error., content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } } }
                    '500':
                      description: A failed thing or a problem.
                      content:
                        application/json:
                          schema:
                            anyOf: [{ $ref: '#/components/schemas/Thing' }, { $ref: '#/components/schemas/Problem' }]
                    '503': { description: Down., content: { application/json: { schema: { type: object, properties: { until: { type: string, format: date-time } } } } } }
                    '5XX': { description: No body. }
                    default: { description: Anything else., content: { application/json: { schema: { type: string } } } }
            components:
              schemas:
                Thing: { type: object, required: [id, state], properties: { id: { type: string }, state: { type: string } } }
                Problem: { type: object, required: [title], properties: { title: { type: string } } }
            """;

        var result = Generate(text);
        var client = result.Source("BrokenClient.Client.g.cs");

        Assert.That(client, Does.Contain("apiRequest.WithErrorBody(404, global::Test.Api.BrokenClientJson.ReadProblem);"));
        Assert.That(client, Does.Contain("apiRequest.WithErrorBodyRange(4, global::Test.Api.BrokenClientJson.ReadProblem);"));
        Assert.That(client, Does.Contain("""
            apiRequest.WithErrorBody(500, global::Test.Api.BrokenClientJson.ReadThing, "id", "state");
                    apiRequest.WithErrorBody(500, global::Test.Api.BrokenClientJson.ReadProblem, "title");
            """));
        Assert.That(client, Does.Contain("apiRequest.WithErrorBody(503, global::Test.Api.BrokenClientJson.ReadGetThingError503);"));
        Assert.That(client, Does.Not.Contain("WithErrorBodyRange(5"), "a response without a body registers nothing");
        Assert.That(client, Does.Contain("apiRequest.WithDefaultErrorBody(global::TinyFish.Toolkit.Runtime.Json.JsonPrimitives.ReadString);"));
        Assert.That(client, Does.Contain("500 (A failed thing or a problem), <c>Body</c> <see cref=\"global::Test.Api.Thing\"/> or <see cref=\"global::Test.Api.Problem\"/>"));
        Assert.That(client, Does.Contain("default (Anything else), <c>Body</c> <c>string</c>"));
        Assert.That(result.Diagnostics("TFG0003"), Is.Empty, "a union of object components in an error response is not a fallback");
        Assert.That(result.CompileProblems(), Is.Empty);
    }

    [Test]
    public void Every_diagnostic_has_a_help_link_into_the_catalog()
    {
        var result = GeneratorHarness.Generate(
            new Dictionary<string, string> { ["TinyFishGeneratorDiagnosticsDoc"] = "https://docs.example/diagnostics.md" },
            new SpecInput("/specs/broken.openapi.yaml", "openapi: 3.1.0\ninfo: ["));

        Assert.That(result.Result.Diagnostics, Is.Not.Empty);
        Assert.That(result.Result.Diagnostics.Select(d => d.Descriptor.HelpLinkUri), Is.All.StartsWith("https://docs.example/diagnostics.md#tfg"));
    }

    [TestCase("hello: world")]
    [TestCase("[1, 2, 3]")]
    [TestCase("\"just a string\"")]
    [TestCase("openapi: 3.1.0")]
    [TestCase("openapi: 9.9.9\ninfo: {title: x, version: '1'}\npaths: {}")]
    [TestCase("{\"swagger\": \"2.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\", \"schema\": {\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/definitions/Missing\"}}}}}}}}}")]
    [TestCase("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/A'}, B: {type: array, items: {$ref: '#/components/schemas/B'}}, C: {allOf: [{$ref: '#/components/schemas/C'}, {properties: {x: {type: string}}}]}}}")]
    [TestCase("\u0000\u0001\u0002binary")]
    public void Odd_input_never_crashes_the_generator(string text)
    {
        var result = Generate(text);

        Assert.That(result.Result.Exception, Is.Null);
        Assert.That(result.Diagnostics("TFG0004"), Is.Empty);
        Assert.That(result.GeneratorDiagnostics.Where(d => d.Id == "CS8785"), Is.Empty);
        Assert.That(result.CompileProblems().Select(d => d.ToString()), Is.Empty);
    }

    [Test]
    public void A_file_named_openapi_is_picked_up_without_metadata_and_named_after_the_file()
    {
        var spec = new SpecInput("/specs/my-shop.openapi.yaml", ValidHead + "\npaths: {}\n", Namespace: null, MarkedAsClient: false);

        var result = GeneratorHarness.Generate(spec);

        Assert.That(result.Source("MyShopClient.Client.g.cs"), Does.Contain("namespace Consumer;").And.Contain("public partial class MyShopClient"));
    }

    [Test]
    public void Other_additional_files_are_ignored()
    {
        var result = GeneratorHarness.Generate(new SpecInput("/specs/settings.yaml", ValidHead + "\npaths: {}\n", MarkedAsClient: false));

        Assert.That(result.Sources, Is.Empty);
        Assert.That(result.Result.Diagnostics, Is.Empty);
    }

    [Test]
    public void Null_and_scalar_component_schemas_and_security_schemes_are_located_warnings_and_the_rest_generates()
    {
        var text = ValidHead + """

            paths:
              /a:
                get:
                  operationId: getA
                  security: [{ key: [] }]
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Good' }
            components:
              securitySchemes:
                key:
              schemas:
                Nothing:
                Scalar: 42
                Good:
                  type: object
                  properties:
                    empty:
                    id: { type: string }
            """;

        var result = Generate(text);

        static IEnumerable<int> Lines(IEnumerable<Diagnostic> diagnostics) => diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Multiple(() =>
        {
            Assert.That(result.Result.Diagnostics.Where(d => d.Id is "TFG0004" or "TFG0001").Select(d => d.ToString()), Is.Empty, "OpenAPI.NET throws on the empty property; it is read again without it");
            Assert.That(Lines(result.Diagnostics("TFG0002")), Is.EqualTo(new[] { 16, 18, 19, 23 }), "'key:', 'Nothing:', 'Scalar: 42' and 'empty:' are not objects and left out");
            Assert.That(result.Source("BrokenClient.Good.g.cs"), Does.Contain("string? Id").And.Not.Contain("Empty"));
            Assert.That(result.Source("BrokenClient.Client.g.cs"), Does.Contain(" GetAAsync("));
            Assert.That(result.CompileProblems(), Is.Empty);
        });
    }

    [Test]
    public void An_inline_object_that_includes_its_own_component_through_allOf_is_one_recursive_record()
    {
        var text = ValidHead + """

            paths: {}
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    id: { type: string }
                    parent:
                      allOf:
                        - $ref: '#/components/schemas/Node'
                        - type: object
                          properties:
                            depth: { type: integer }
            """;

        var result = Generate(text);

        Assert.That(result.Result.Exception, Is.Null);
        Assert.That(result.Sources.Select(s => s.HintName), Is.EquivalentTo(new[] { "BrokenClient.Client.g.cs", "BrokenClient.Client.Json.g.cs", "BrokenClient.Node.g.cs", "BrokenClient.NodeParent.g.cs" }));
        Assert.That(result.Source("BrokenClient.NodeParent.g.cs"), Does.Contain("global::Test.Api.NodeParent? Parent"), "the parent of a parent is the same type");
        Assert.That(result.CompileProblems(), Is.Empty);
    }
}
