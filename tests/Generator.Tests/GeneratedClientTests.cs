using System.Net;
using System.Text;
using Generator.Tests.Infrastructure;
using TinyFish.Toolkit.Runtime;

namespace Generator.Tests;

/// <summary>The generated operations send what the spec says and read what comes back (HTTP stubbed in memory).</summary>
public sealed class GeneratedClientTests
{
    private GeneratedAssembly _petstore = null!;
    private GeneratedAssembly _inventory = null!;

    [OneTimeSetUp]
    public void Compile()
    {
        _petstore = new GeneratedAssembly(GeneratorHarness.Spec("petstore.openapi.yaml"));
        _inventory = new GeneratedAssembly(GeneratorHarness.Spec("inventory.openapi.yaml", ns: "Test.Inventory"));
    }

    [OneTimeTearDown]
    public void Unload()
    {
        _petstore.Dispose();
        _inventory.Dispose();
    }

    private static dynamic Client(GeneratedAssembly assembly, string name, StubHandler handler) =>
        Activator.CreateInstance(
            assembly.Type(name),
            new ApiClientOptions { BaseAddress = new Uri("https://api.example/base/"), ApiKey = "secret", Retry = new RetryOptions { MaxRetries = 0 } },
            new HttpClient(handler))!;

    [Test]
    public async Task Path_parameter_credential_and_response_body_follow_the_spec()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"petType":"dog","id":7,"name":"Rex"}"""));
        var client = Client(_petstore, "PetstoreClient", handler);

        object pet = await client.Pets.GetPetAsync(7L, CancellationToken.None);

        var request = handler.Requests.Single();
        Assert.That(request.Method, Is.EqualTo("GET"));
        Assert.That(request.Uri, Is.EqualTo("https://api.example/base/pets/7"));
        Assert.That(request.Authorization, Is.EqualTo("Bearer secret"));
        Assert.That(pet.GetType().Name, Is.EqualTo("Dog"));
    }

    [Test]
    public async Task Paging_follows_the_cursor_until_it_runs_out_and_repeats_the_filters()
    {
        var handler = new StubHandler(request => request.Uri.Contains("after=p2", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, """{"pets":[{"petType":"cat","id":3,"name":"C","indoor":false}],"paging":{"continue_from":null}}""")
            : (HttpStatusCode.OK, """{"pets":[{"petType":"cat","id":1,"name":"A","indoor":true},{"petType":"cat","id":2,"name":"B","indoor":true}],"paging":{"continue_from":"p2"}}"""));
        var client = Client(_petstore, "PetstoreClient", handler);
        var species = Array.CreateInstance(_petstore.Type("Species"), 1);
        species.SetValue(_petstore.Type("Species").GetProperty("Cat")!.GetValue(null), 0);

        var names = new List<string>();
        await foreach (var pet in (IAsyncEnumerable<object>)client.Pets.ListPetsAllAsync(species: (dynamic)species, pageSize: 2))
        {
            names.Add((string)pet.GetType().GetProperty("Name")!.GetValue(pet)!);
        }

        Assert.That(names, Is.EqualTo(new[] { "A", "B", "C" }));
        Assert.That(handler.Requests.Select(r => r.Uri), Is.EqualTo(new[]
        {
            "https://api.example/base/pets?species=cat&page_size=2",
            "https://api.example/base/pets?species=cat&after=p2&page_size=2",
        }));
    }

    [Test]
    public async Task A_text_response_is_returned_as_a_string_asked_for_by_its_media_type()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, "sku,quantity\nA,1\n"), "text/csv");
        var client = Client(_inventory, "InventoryClient", handler);

        string csv = await client.DownloadReportAsync(42);

        Assert.That(csv, Is.EqualTo("sku,quantity\nA,1\n"));
        Assert.That(handler.Requests.Single().Headers, Does.Contain("Accept: text/csv"));
    }

    [Test]
    public async Task A_binary_body_is_sent_and_returned_as_bytes_with_its_media_type()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF };
        var handler = new StubHandler(request => (HttpStatusCode.OK, Encoding.Latin1.GetString(request.BodyBytes!)), "application/octet-stream", Encoding.Latin1);
        var client = Client(_inventory, "InventoryClient", handler);

        byte[] stored = await client.UploadPhotoAsync(png, "A-1");

        var request = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("PUT"));
            Assert.That(request.ContentType, Is.EqualTo("image/png"));
            Assert.That(request.BodyBytes, Is.EqualTo(png));
            Assert.That(request.Headers, Does.Contain("Accept: application/octet-stream"));
            Assert.That(stored, Is.EqualTo(png));
        });
    }

    [Test]
    public async Task A_form_body_is_the_model_sent_as_URL_encoded_fields()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.NoContent, ""));
        var client = Client(_inventory, "InventoryClient", handler);
        var requestType = _inventory.Type("AdjustStockRequest");
        dynamic adjustment = Activator.CreateInstance(requestType)!;
        requestType.GetProperty("Delta")!.SetValue(adjustment, -2);
        requestType.GetProperty("Reason")!.SetValue(adjustment, "damaged & returned");
        requestType.GetProperty("Tags")!.SetValue(adjustment, new List<string> { "q1", "audit" });

        await client.AdjustStockAsync(adjustment, "A-1");

        var request = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.ContentType, Is.EqualTo("application/x-www-form-urlencoded"));
            Assert.That(request.Body, Is.EqualTo("delta=-2&reason=damaged%20%26%20returned&tags=q1&tags=audit"), "unset optional properties are not sent");
        });
    }

    [Test]
    public async Task A_multipart_body_sends_each_property_as_a_part_and_binary_ones_as_files()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.Accepted, ""));
        var client = Client(_inventory, "InventoryClient", handler);
        var requestType = _inventory.Type("ImportItemsRequest");
        dynamic import = Activator.CreateInstance(requestType)!;
        requestType.GetProperty("File")!.SetValue(import, new byte[] { 0x50, 0x4B, 0x03, 0x04 });
        requestType.GetProperty("DryRun")!.SetValue(import, true);

        await client.ImportItemsAsync(import);

        var request = handler.Requests.Single();
        var body = Encoding.Latin1.GetString(request.BodyBytes!);
        Assert.Multiple(() =>
        {
            Assert.That(request.ContentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(body, Does.Contain("name=file; filename=file").And.Contain("\r\n\r\nPK\u0003\u0004\r\n"), "the file's raw bytes");
            Assert.That(body, Does.Contain("name=dry_run").And.Contain("\r\n\r\ntrue\r\n"));
            Assert.That(body, Does.Not.Contain("name=attachments"), "unset properties send no part");
        });
    }

    [Test]
    public async Task A_success_status_the_spec_gives_no_body_answers_null()
    {
        var handler = new StubHandler(request => request.Uri.EndsWith("/A-1/reservation", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, """{"until":"2025-03-01T12:00:00Z"}""")
            : (HttpStatusCode.NoContent, ""));
        var client = Client(_inventory, "InventoryClient", handler);

        object? reserved = await client.GetReservationAsync("A-1");
        object? free = await client.GetReservationAsync("B-2");

        Assert.Multiple(() =>
        {
            Assert.That(reserved!.GetType().GetProperty("Until")!.GetValue(reserved), Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)));
            Assert.That(free, Is.Null, "204: no body, no model");
        });
    }

    [Test]
    public async Task Success_statuses_with_different_bodies_answer_one_record_per_status()
    {
        var answers = new Queue<(HttpStatusCode, string)>([
            (HttpStatusCode.OK, """{"until":"2025-03-01T12:00:00Z"}"""),
            (HttpStatusCode.Created, """{"hold_id":"h_1"}"""),
            (HttpStatusCode.NoContent, ""),
            (HttpStatusCode.PartialContent, """{"odd":true}"""),
        ]);
        var handler = new StubHandler(_ => answers.Dequeue());
        var client = Client(_inventory, "InventoryClient", handler);

        object extended = await client.PlaceHoldAsync("A-1");
        object created = await client.PlaceHoldAsync("A-1");
        object refused = await client.PlaceHoldAsync("A-1");
        var undocumented = Assert.ThrowsAsync<ApiResponseFormatException>(async () => await client.PlaceHoldAsync("A-1"));

        static object? Body(object result) => result.GetType().GetProperty("Body")?.GetValue(result);
        static object? StatusCode(object result) => result.GetType().GetProperty("StatusCode")!.GetValue(result);
        Assert.Multiple(() =>
        {
            Assert.That(extended.GetType().Name, Is.EqualTo("Ok"));
            Assert.That(StatusCode(extended), Is.EqualTo(200));
            Assert.That(Body(extended)!.GetType().GetProperty("Until")!.GetValue(Body(extended)), Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)));
            Assert.That(created.GetType().Name, Is.EqualTo("Created"));
            Assert.That(Body(created)!.GetType().GetProperty("HoldId")!.GetValue(Body(created)), Is.EqualTo("h_1"));
            Assert.That(refused.GetType().Name, Is.EqualTo("NoContent"));
            Assert.That(StatusCode(refused), Is.EqualTo(204));
            Assert.That(extended.GetType().BaseType!.Name, Is.EqualTo("PlaceHoldResult"));
            Assert.That(undocumented!.Message, Does.Contain("206"));
        });
    }

    [Test]
    public async Task A_text_body_is_sent_as_UTF8_with_its_media_type_and_may_be_left_out()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.NoContent, ""));
        var client = Client(_inventory, "InventoryClient", handler);

        await client.AddNoteAsync("Restock aisle 3 — soon");
        await client.AddNoteAsync();

        Assert.Multiple(() =>
        {
            Assert.That(handler.Requests[0].ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(handler.Requests[0].Body, Is.EqualTo("Restock aisle 3 — soon"));
            Assert.That(handler.Requests[1].BodyBytes, Is.Null, "an optional body left out sends none");
        });
    }

    [Test]
    public async Task Inferred_paging_stops_when_has_more_is_false()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"items":[{"sku":"A","quantity":1,"location":{"aisle":"1"},"created_at":"2025-01-01T00:00:00Z"}],"next_page_token":"ignored","has_more":false}"""));
        var client = Client(_inventory, "InventoryClient", handler);

        var items = new List<object>();
        await foreach (var item in (IAsyncEnumerable<object>)client.Items.ListItemsAllAsync("main")) items.Add(item);

        Assert.That(items, Has.Count.EqualTo(1));
        Assert.That(handler.Requests.Single().Uri, Is.EqualTo("https://api.example/base/items?warehouse=main"));
        Assert.That(handler.Requests.Single().Headers, Does.Contain("X-Inventory-Key: secret"));
    }

    [Test]
    public async Task Event_stream_yields_typed_events_and_keeps_unknown_ones()
    {
        const string stream = "data: {\"event_type\":\"ItemRemoved\",\"sku\":\"A\"}\n\ndata: {\"event_type\":\"ItemMoved\",\"sku\":\"B\"}\n\n";
        var handler = new StubHandler(_ => (HttpStatusCode.OK, stream), "text/event-stream");
        var client = Client(_inventory, "InventoryClient", handler);

        var kinds = new List<string>();
        await foreach (var e in (IAsyncEnumerable<object>)client.Events.WatchEventsAsync()) kinds.Add(e.GetType().Name);

        Assert.That(kinds, Is.EqualTo(new[] { "ItemRemoved", "UnknownInventoryEvent" }));
        Assert.That(handler.Requests.Single().Headers, Does.Contain("Accept: text/event-stream"));
    }

    [Test]
    public void Header_parameters_are_sent_and_error_statuses_throw_ApiException_with_the_envelope()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.PreconditionFailed, """{"error":{"code":"STALE","message":"Changed."}}"""));
        var client = Client(_inventory, "InventoryClient", handler);

        var error = Assert.ThrowsAsync<ApiException>(async () => await client.Items.DeleteItemAsync("SKU-1", "etag-1"));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(error.Code, Is.EqualTo("STALE"));
        Assert.That(handler.Requests.Single().Method, Is.EqualTo("DELETE"));
        Assert.That(handler.Requests.Single().Headers, Does.Contain("If-Match: etag-1"));
    }

    [Test]
    public void The_default_response_body_is_read_into_ApiException_Body_as_the_spec_model()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.BadGateway, """{"title":"Upstream down","status":502,"detail":"try later"}"""));
        var client = Client(_petstore, "PetstoreClient", handler);

        var error = Assert.ThrowsAsync<ApiServerException>(async () => await client.Pets.ListPetsAsync());

        Assert.That(error!.Body?.GetType().Name, Is.EqualTo("Problem"));
        Assert.That((string)((dynamic)error.Body!).Title, Is.EqualTo("Upstream down"));
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
    }

    [Test]
    public async Task Json_request_body_is_written_by_the_generated_writer()
    {
        var handler = new StubHandler(_ => (HttpStatusCode.OK, """{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","status":"placed"}"""));
        var client = Client(_petstore, "PetstoreClient", handler);
        dynamic order = _petstore.Read("Order", """{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","status":"placed","quantity":1}""");

        await client.Store.PlaceOrderAsync(order);

        Assert.That(GeneratedAssembly.SameJson(handler.Requests.Single().Body!, """{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","status":"placed","quantity":1}"""), Is.True);
    }
}
