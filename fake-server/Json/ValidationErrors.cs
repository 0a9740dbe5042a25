namespace TinyFish.FakeServer.Json;

/// <summary>Collects every problem with a request, so one 400 names them all (<c>details</c>).</summary>
internal sealed class ValidationErrors
{
    private readonly List<ErrorDetail> _details = [];

    public bool Any => _details.Count > 0;

    public IReadOnlyList<ErrorDetail> Details => _details;

    /// <summary>Whether a problem with <paramref name="field"/> is already recorded.</summary>
    public bool Has(string field) => _details.Exists(detail => detail.Field == field);

    public void Add(string field, string message) => _details.Add(new ErrorDetail(field, message));
}
