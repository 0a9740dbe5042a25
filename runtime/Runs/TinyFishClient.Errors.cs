using System.Globalization;
using System.Text.Json;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>
    /// TinyFish's error conventions, which become <see cref="ErrorConventions"/>: the
    /// <c>{"error":{"code","message","details"}}</c> envelope, its codes (<c>MISSING_API_KEY</c>,
    /// <c>INVALID_API_KEY</c>, <c>RATE_LIMIT_EXCEEDED</c>...) and the <c>retry_after</c> seconds a failed
    /// run's error carries. Built here, when the generated part asks, so no static initialiser order matters.
    /// </summary>
    static partial void ConfigureErrorConventions(ref ApiErrorConventions conventions) => conventions = new()
    {
        ReadError = ApiErrorConventions.ReadConventionalError,
        ReadRetryAfter = ReadRetryAfter,
        Codes = new Dictionary<string, ApiErrorKind>
        {
            ["INVALID_INPUT"] = ApiErrorKind.InvalidInput,
            ["MISSING_API_KEY"] = ApiErrorKind.MissingCredential,
            ["INVALID_API_KEY"] = ApiErrorKind.Authentication,
            ["UNAUTHORIZED"] = ApiErrorKind.Authentication,
            ["FORBIDDEN"] = ApiErrorKind.PermissionDenied,
            ["NOT_FOUND"] = ApiErrorKind.NotFound,
            ["RATE_LIMIT_EXCEEDED"] = ApiErrorKind.RateLimited,
            ["INTERNAL_ERROR"] = ApiErrorKind.Server,
        },
    };

    /// <summary>
    /// <c>retry_after</c> (or <c>retryAfter</c>), seconds as a number or a string holding one, at the top level
    /// of the body or in its <c>error</c> object (a failed run's <c>error.retry_after</c>); null when absent,
    /// null, negative or over a day.
    /// </summary>
    public static TimeSpan? ReadRetryAfter(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return null;
        return Seconds(body)
            ?? (body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? Seconds(error) : null);

        static TimeSpan? Seconds(JsonElement element)
        {
            if (!element.TryGetProperty("retry_after", out var value) && !element.TryGetProperty("retryAfter", out value)) return null;
            double seconds;
            if (value.ValueKind == JsonValueKind.Number) seconds = value.GetDouble();
            else if (value.ValueKind != JsonValueKind.String
                     || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)) return null;
            return seconds is >= 0 and <= 86_400 ? TimeSpan.FromSeconds(seconds) : null;
        }
    }
}
