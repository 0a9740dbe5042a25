namespace TinyFish.FakeServer.Runs;

/// <summary>Seeded run ids (<c>run_</c> + 20 letters and digits) that match the API's id pattern <c>^[A-Za-z0-9_-]+$</c>.</summary>
internal sealed class RunIdGenerator(int seed)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly Random _random = new(seed);

    public string Next()
    {
        Span<char> id = stackalloc char[24];
        "run_".CopyTo(id);
        for (var i = 4; i < id.Length; i++) id[i] = Alphabet[_random.Next(Alphabet.Length)];
        return new string(id);
    }
}
