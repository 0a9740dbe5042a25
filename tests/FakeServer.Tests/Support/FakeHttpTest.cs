using TinyFish.FakeServer;

namespace FakeServer.Tests.Support;

/// <summary>A fresh fake per test and an <see cref="HttpClient"/> to it that sends the API key.</summary>
public abstract class FakeHttpTest
{
    private FakeTinyFish? _fake;
    private HttpClient? _http;

    protected FakeTinyFish Fake => _fake ?? throw new InvalidOperationException("The fake exists only while a test runs.");

    protected HttpClient Http => _http ?? throw new InvalidOperationException("The client exists only while a test runs.");

    [SetUp]
    public void StartFake()
    {
        _fake = FakeTinyFish.Create();
        _http = _fake.CreateHttpClient(withApiKey: true);
    }

    [TearDown]
    public async Task StopFake()
    {
        _http?.Dispose();
        if (_fake is not null) await _fake.DisposeAsync();
        _http = null;
        _fake = null;
    }
}
