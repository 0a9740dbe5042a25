using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

public class ApiClientOptionsTests
{
    private static readonly Uri Default = new("https://agent.example.test");

    // Unique names so parallel tests and the machine's own environment cannot interfere.
    private static (string Key, string Url) Variables() =>
        ($"RT_TEST_KEY_{Guid.NewGuid():N}", $"RT_TEST_URL_{Guid.NewGuid():N}");

    [Test]
    public void FromEnvironment_reads_the_named_variables()
    {
        var (key, url) = Variables();
        Environment.SetEnvironmentVariable(key, "sk-from-env");
        Environment.SetEnvironmentVariable(url, "https://staging.example.test/api");
        try
        {
            var options = ApiClientOptions.FromEnvironment(key, url, Default);

            Assert.That(options.ApiKey, Is.EqualTo("sk-from-env"));
            Assert.That(options.BaseAddress, Is.EqualTo(new Uri("https://staging.example.test/api")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, null);
            Environment.SetEnvironmentVariable(url, null);
        }
    }

    [Test]
    public void FromEnvironment_falls_back_to_the_default_address_and_no_key_when_unset()
    {
        var (key, url) = Variables();

        var options = ApiClientOptions.FromEnvironment(key, url, Default);

        Assert.That(options.ApiKey, Is.Null);
        Assert.That(options.BaseAddress, Is.EqualTo(Default));
    }

    [Test]
    public void A_base_url_variable_that_is_not_an_absolute_http_url_is_rejected_by_name()
    {
        var (key, url) = Variables();
        Environment.SetEnvironmentVariable(url, "agent.example.test");
        try
        {
            var e = Assert.Throws<ArgumentException>(() => ApiClientOptions.FromEnvironment(key, url, Default));
            Assert.That(e!.Message, Does.Contain(url));
        }
        finally
        {
            Environment.SetEnvironmentVariable(url, null);
        }
    }

    [Test]
    public void ApplyEnvironment_keeps_settings_made_in_code_when_the_variables_are_unset()
    {
        var (key, url) = Variables();
        var options = new ApiClientOptions { ApiKey = "sk-code", BaseAddress = new Uri("https://code.example.test") };

        options.ApplyEnvironment(key, url);

        Assert.That(options.ApiKey, Is.EqualTo("sk-code"));
        Assert.That(options.BaseAddress, Is.EqualTo(new Uri("https://code.example.test")));
    }

    [Test]
    public void Validation_names_the_missing_base_address()
    {
        var e = Assert.Throws<ArgumentException>(() => new ApiClientOptions().ValidateAndFreeze());

        Assert.That(e!.Message, Does.Contain("BaseAddress"));
    }

    [Test]
    public void Frozen_options_and_their_retry_settings_refuse_changes()
    {
        var options = new ApiClientOptions { BaseAddress = Default };
        options.ValidateAndFreeze();

        Assert.That(options.IsFrozen, Is.True);
        Assert.Throws<InvalidOperationException>(() => options.ApiKey = "x");
        Assert.Throws<InvalidOperationException>(() => options.Retry.MaxRetries = 5);
        Assert.Throws<InvalidOperationException>(() => options.Retry.ShouldRetry = _ => false);
        Assert.Throws<InvalidOperationException>(() => options.PerCallResilience = null);
    }

    [Test]
    public void The_base_address_gets_a_trailing_slash_so_relative_paths_append()
    {
        var options = new ApiClientOptions { BaseAddress = new Uri("https://agent.example.test/prefix") };
        options.ValidateAndFreeze();

        Assert.That(options.BaseAddress!.AbsoluteUri, Is.EqualTo("https://agent.example.test/prefix/"));
    }

    [TestCase(-1, 0, 30)]
    [TestCase(2, -1, 30)]
    [TestCase(2, 10, 5)]
    public void Invalid_retry_settings_are_rejected(int maxRetries, int baseSeconds, int maxSeconds)
    {
        var options = new ApiClientOptions { BaseAddress = Default };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.BaseDelay = TimeSpan.FromSeconds(baseSeconds);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(maxSeconds);

        Assert.Throws<ArgumentException>(options.ValidateAndFreeze);
        Assert.That(options.IsFrozen, Is.False);
    }

    [Test]
    public void Defaults_match_the_official_SDKs()
    {
        var options = new ApiClientOptions();

        Assert.That(options.Retry.MaxRetries, Is.EqualTo(2));
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(options.Retry.ShouldRetry, Is.EqualTo((Func<ApiAttemptOutcome, bool>)ApiRetryRule.Default));
        Assert.That(options.TimeProvider, Is.SameAs(TimeProvider.System));
    }
}
