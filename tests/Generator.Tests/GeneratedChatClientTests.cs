using System.Net;
using Generator.Tests.Infrastructure;
using TinyFish.Toolkit.Runtime;

namespace Generator.Tests;

/// <summary>
/// The client generated from Specs/chat.openapi.yaml, a chat-style API written for these tests, called against
/// an in-memory stub: nullability as the 3.1 document writes it (3.0's nullable included), an operation that
/// answers JSON or an event stream ending in [DONE], a path key with a query part, and array parameters in
/// each style.
/// </summary>
public sealed class GeneratedChatClientTests
{
    private GeneratedAssembly _chat = null!;

    [OneTimeSetUp]
    public void Compile() => _chat = new GeneratedAssembly(GeneratorHarness.Spec("chat.openapi.yaml", ns: "Test.Chat"));

    [OneTimeTearDown]
    public void Unload() => _chat.Dispose();

    private dynamic Client(StubHandler handler) =>
        Activator.CreateInstance(
            _chat.Type("ChatClient"),
            new ApiClientOptions { BaseAddress = new Uri("https://api.example/v1/"), Retry = new RetryOptions { MaxRetries = 0 } },
            new HttpClient(handler))!;

    private object Request(bool stream) =>
        _chat.Read("CompletionRequest", $$"""{"model":"m1","messages":[{"role":"user","content":"Hi"},{"role":"system","content":null}],"stream":{{(stream ? "true" : "false")}}}""");

    private static object? Get(object target, string property) => GeneratedAssembly.Get(target, property);

    private static async Task<List<object>> ToListAsync(IAsyncEnumerable<object> items)
    {
        var list = new List<object>();
        await foreach (var item in items) list.Add(item);
        return list;
    }

    private const string Chunks = """
        data: {"id":"c1","delta":{"content":"Hel"},"finish_reason":null,"usage":null}

        data: {"id":"c1","delta":{"content":null},"finish_reason":"stop","usage":{"total_tokens":7}}

        data: [DONE]

        data: not JSON: nothing after [DONE] is read

        """;

    [Test]
    public async Task The_JSON_method_of_a_JSON_or_stream_operation_returns_the_body_with_a_null_finish_reason_read()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":null}]}"""));
        var client = Client(handler);

        object completion = await client.Chat.CreateCompletionAsync((dynamic)Request(stream: false), CancellationToken.None);

        var choice = ((System.Collections.IEnumerable)Get(completion, "Choices")!).Cast<object>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(Get(completion, "Id"), Is.EqualTo("c1"));
            Assert.That(Get(choice, "FinishReason"), Is.Null, "the enum is nullable: true and lists null");
            Assert.That(Get(Get(Get(choice, "Message")!, "Content")!, "Value"), Is.EqualTo("Hello"), "content: a string or a list of parts, here the string");
            Assert.That(handler.Requests.Single().Headers, Does.Contain("Accept: application/json"));
            Assert.That(handler.Requests.Single().Body, Does.Contain("\"stream\":false").And.Contain("\"content\":null"), "anyOf [string, null] writes null back");
        });
    }

    [Test]
    public async Task The_stream_method_yields_typed_chunks_with_null_fields_and_ends_at_DONE()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, Chunks), "text/event-stream");
        var client = Client(handler);

        var chunks = await ToListAsync((IAsyncEnumerable<object>)client.Chat.CreateCompletionStreamAsync((dynamic)Request(stream: true), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(chunks, Has.Count.EqualTo(2), "[DONE] ends the stream; the line after it is never read");
            Assert.That(Get(chunks[0], "FinishReason"), Is.Null, "a required enum marked nullable: true in a 3.1 document");
            Assert.That(Get(chunks[0], "Usage"), Is.Null);
            Assert.That(Get(Get(chunks[1], "Delta")!, "Content"), Is.Null, "type: [string, 'null']");
            Assert.That(Get(chunks[1], "FinishReason")!.ToString(), Is.EqualTo("stop"));
            Assert.That(Get(Get(chunks[1], "Usage")!, "TotalTokens"), Is.EqualTo(7));
            Assert.That(handler.Requests.Single().Headers, Does.Contain("Accept: text/event-stream"));
        });
    }

    [Test]
    public async Task The_stream_method_reads_a_JSON_answer_as_its_one_item()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"id":"c9","delta":{},"finish_reason":"length"}"""));
        var client = Client(handler);

        var chunks = await ToListAsync((IAsyncEnumerable<object>)client.Chat.CreateCompletionStreamAsync((dynamic)Request(stream: false), CancellationToken.None));

        Assert.That(chunks.Select(c => Get(c, "Id")), Is.EqualTo(new[] { "c9" }));
    }

    [Test]
    public void The_stream_method_fails_clearly_on_a_JSON_answer_of_another_shape()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"id":"c1","choices":[]}"""));
        var client = Client(handler);

        Assert.ThrowsAsync<ApiResponseFormatException>(async () => await ToListAsync((IAsyncEnumerable<object>)client.Chat.CreateCompletionStreamAsync((dynamic)Request(stream: false), CancellationToken.None)));
    }

    [Test]
    public async Task A_stream_only_operation_also_ends_at_DONE()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, Chunks), "text/event-stream");
        var client = Client(handler);

        var chunks = await ToListAsync((IAsyncEnumerable<object>)client.Chat.StreamChunksAsync(CancellationToken.None));

        Assert.That(chunks, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_path_key_with_a_query_part_and_array_parameters_in_each_style_build_one_URL()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"data":[{"id":1,"kind":"book","note":null}],"has_more":false,"next_cursor":null}"""));
        var client = Client(handler);
        var kind = _chat.Type("ItemKind");
        object Kinds()
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(kind))!;
            list.Add(kind.GetProperty("Book")!.GetValue(null));
            list.Add(kind.GetProperty("Tool")!.GetValue(null));
            return list;
        }

        var items = await ToListAsync((IAsyncEnumerable<object>)client.Items.ListItemsAllAsync(
            limit: 2, tags: new List<string> { "a b", "c" }, kinds: (dynamic)Kinds(), sizes: new List<int> { 1, 2 }, xKinds: (dynamic)Kinds(), cancellationToken: CancellationToken.None));

        var request = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => Get(i, "Note")), Is.EqualTo(new object?[] { null }));
            Assert.That(request.Uri, Is.EqualTo("https://api.example/v1/items?beta=true&limit=2&tags=a%20b%2Cc&kinds=book&kinds=tool&sizes=1%7C2"),
                "the path's own query first, then form exploded (repeated), form not exploded (comma) and pipeDelimited");
            Assert.That(request.Headers, Does.Contain("X-Kinds: book,tool"), "a header array of enums: comma-separated");
        });
    }

    [Test]
    public async Task A_path_array_is_comma_separated_and_a_path_enum_is_its_value()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, "[]"));
        var client = Client(handler);
        var kind = _chat.Type("ItemKind");

        await client.Items.GetItemsAsync(new List<int> { 1, 2 }, (dynamic)kind.GetProperty("Tool")!.GetValue(null)!, CancellationToken.None);

        Assert.That(handler.Requests.Single().Uri, Is.EqualTo("https://api.example/v1/items/1%2C2/tool"));
    }

    [Test]
    public void A_string_or_known_values_is_an_open_enum_that_keeps_any_other_value()
    {
        var known = _chat.Read("CompletionRequest", """{"model":"chat-large","messages":[],"voice":"bass"}""");
        var other = _chat.Read("CompletionRequest", """{"model":"chat-next","messages":[],"voice":"tenor"}""");

        Assert.Multiple(() =>
        {
            Assert.That(_chat.Type("CompletionRequest").GetProperty("Model")!.PropertyType.Name, Is.EqualTo("CompletionRequestModel"), "anyOf [string, enum]: an open enum");
            Assert.That(_chat.Type("CompletionRequest").GetProperty("Voice")!.PropertyType.Name, Is.EqualTo("Nullable`1"));
            Assert.That(Nullable.GetUnderlyingType(_chat.Type("CompletionRequest").GetProperty("Voice")!.PropertyType)!.Name, Is.EqualTo("KnownVoice"), "anyOf [string, $ref enum]: the enum component");
            Assert.That(Get(Get(known, "Model")!, "IsKnown"), Is.True);
            Assert.That(Get(Get(other, "Model")!, "IsKnown"), Is.False);
            Assert.That(_chat.Write("CompletionRequest", other), Does.Contain("\"model\":\"chat-next\"").And.Contain("\"voice\":\"tenor\""), "written back unchanged");
            Assert.That(_chat.Type("CompletionRequestModel").GetProperty("ChatSmall"), Is.Not.Null);
        });
    }

    [Test]
    public void A_union_of_JSON_kinds_reads_each_kind_typed_keeps_others_raw_and_writes_all_back()
    {
        const string json = """{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"text","text":"there"}]}""";
        const string text = """{"role":"user","content":"Hi there"}""";
        const string other = """{"role":"user","content":42}""";

        var parts = Get(_chat.Read("Message", json), "Content")!;
        var plain = Get(_chat.Read("Message", text), "Content")!;
        var unknown = Get(_chat.Read("Message", other), "Content")!;

        Assert.Multiple(() =>
        {
            Assert.That(parts.GetType().Name, Is.EqualTo("Items"));
            Assert.That(((System.Collections.IEnumerable)Get(parts, "Value")!).Cast<object>().Select(p => Get(p, "Text")), Is.EqualTo(new[] { "Hi", "there" }));
            Assert.That(plain.GetType().Name, Is.EqualTo("Text"));
            Assert.That(unknown.GetType().Name, Is.EqualTo("Unknown"), "a number is no variant: kept as it came");
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("Message", json), json), Is.True);
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("Message", text), text), Is.True);
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("Message", other), other), Is.True);
        });
    }

    [Test]
    public void Arrays_are_told_apart_by_the_kind_of_their_first_item_and_an_empty_one_is_written_back_empty()
    {
        var cases = new[]
        {
            ("\"one text\"", "Text"),
            ("[\"a\",\"b\"]", "Texts"),
            ("[1,2,3]", "Numbers"),
            ("[[1,2],[3]]", "Lists"),
            ("[]", "Texts"),
            ("[true]", "Unknown"),
            ("{\"tokens\":[1]}", "Unknown"),
        };

        Assert.Multiple(() =>
        {
            foreach (var (json, variant) in cases)
            {
                Assert.That(_chat.Read("EmbeddingInput", json).GetType().Name, Is.EqualTo(variant), json);
                Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("EmbeddingInput", json), json), Is.True, json + " written back");
            }
            Assert.That(((System.Collections.IEnumerable)Get(_chat.Read("EmbeddingInput", "[[1,2],[3]]"), "Value")!).Cast<object>().Count(), Is.EqualTo(2));
        });
    }

    [Test]
    public void An_integer_beside_a_number_is_the_number()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Get(_chat.Read("FieldValue", """{"score":7}"""), "Score"), Is.EqualTo(7d), "anyOf [integer, number] is a number, not a union");
            Assert.That(Get(_chat.Read("FieldValue", """{"score":7.5}"""), "Score"), Is.EqualTo(7.5d));
            var whole = Get(_chat.Read("FieldValue", """{"value":3}"""), "Value")!;
            var text = Get(_chat.Read("FieldValue", """{"value":"3"}"""), "Value")!;
            Assert.That((whole.GetType().Name, Get(whole, "Value")), Is.EqualTo(("Number", (object)3d)), "anyOf [string, number, integer] is a text or a number");
            Assert.That(text.GetType().Name, Is.EqualTo("Text"));
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("FieldValue", """{"value":3.25}"""), """{"value":3.25}"""), Is.True);
        });
    }

    [Test]
    public void String_enums_side_by_side_are_one_enum_of_all_their_values()
    {
        const string now = """{"expires_at":"now","mood":"sad"}""";
        const string cleared = """{"expires_at":""}""";
        const string at = """{"expires_at":1700000000}""";

        var byNow = Get(_chat.Read("FieldValue", now), "ExpiresAt")!;
        var byTime = Get(_chat.Read("FieldValue", at), "ExpiresAt")!;

        Assert.Multiple(() =>
        {
            Assert.That((byNow.GetType().Name, Get(Get(byNow, "Value")!, "Value")), Is.EqualTo(("Text", (object)"now")), "anyOf [enum, integer, enum] is a text or a number");
            Assert.That(byTime.GetType().Name, Is.EqualTo("Number"));
            Assert.That(_chat.Type("Mood").GetProperty("Happy"), Is.Not.Null, "the Mood component is one enum of both lists");
            Assert.That(_chat.Type("Mood").GetProperty("Sad"), Is.Not.Null);
            Assert.That(Get(Get(_chat.Read("FieldValue", now), "Mood")!, "Value"), Is.EqualTo("sad"));
            foreach (var json in new[] { now, cleared, at })
            {
                Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("FieldValue", json), json), Is.True, json);
            }
        });
    }

    [Test]
    public void A_ref_listed_twice_is_one_choice()
    {
        const string json = """{"usage_or_note":{"total_tokens":3}}""";

        var usage = Get(_chat.Read("FieldValue", json), "UsageOrNote")!;

        Assert.Multiple(() =>
        {
            Assert.That(usage.GetType().Name, Is.EqualTo("Fields"));
            Assert.That(Get(Get(usage, "Value")!, "TotalTokens"), Is.EqualTo(3));
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("FieldValue", json), json), Is.True);
        });
    }

    [Test]
    public void A_union_choice_of_one_kind_is_read_by_its_own_reader()
    {
        const string id = """{"attachment":"file-1"}""";
        const string link = """{"attachment":{"type":"link","url":"https://x.example"}}""";

        var byId = Get(_chat.Read("FieldValue", id), "Attachment")!;
        var inline = Get(_chat.Read("FieldValue", link), "Attachment")!;

        Assert.Multiple(() =>
        {
            Assert.That(byId.GetType().Name, Is.EqualTo("Text"));
            Assert.That(inline.GetType().Name, Is.EqualTo("Fields"), "an object: the Attachment union's variant");
            Assert.That(Get(inline, "Value")!.GetType().Name, Is.EqualTo("AttachmentLink"), "chosen by Attachment's own constant");
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("FieldValue", link), link), Is.True);
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("FieldValue", id), id), Is.True);
        });
    }

    [Test]
    public void Inline_object_variants_with_a_constant_type_are_a_union_of_records()
    {
        const string file = """{"type":"file","file_id":"f1"}""";
        const string link = """{"type":"link","url":"https://x.example"}""";
        const string other = """{"type":"audio","seconds":3}""";

        Assert.Multiple(() =>
        {
            Assert.That(_chat.Read("Attachment", file).GetType().Name, Is.EqualTo("AttachmentFile"));
            Assert.That(Get(_chat.Read("Attachment", file), "FileId"), Is.EqualTo("f1"));
            Assert.That(_chat.Read("Attachment", link).GetType().Name, Is.EqualTo("AttachmentLink"), "a one-value enum is a constant too");
            Assert.That(_chat.Read("Attachment", other).GetType().Name, Is.EqualTo("UnknownAttachment"));
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("Attachment", link), link), Is.True);
            Assert.That(GeneratedAssembly.SameJson(_chat.RoundTrip("Attachment", other), other), Is.True);
        });
    }
}
