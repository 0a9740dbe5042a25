using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Runs;

/// <summary>
/// List cursors: base64url of a small JSON keyset (<c>{"id","createdAt","dir"}</c>, as in the
/// reference's example), a dot, and an HMAC-SHA256 tag over that JSON plus the query's filters.
/// A cursor that was edited, issued by another fake, or issued for other filters or another sort
/// direction fails the tag and is a 400 — never a silently wrong page.
/// </summary>
internal sealed class CursorCodec(byte[] key)
{
    private const int TagBytes = 16;

    public string Encode(RunKey position, bool descending, string filterFingerprint)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new CursorPayload(position.RunId, new DateTime(position.CreatedTicks, DateTimeKind.Utc), descending ? "desc" : "asc"),
            FakeJsonContext.Wire.CursorPayload);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Tag(payload, filterFingerprint));
    }

    /// <summary>The keyset the cursor points after, or null when it is not a cursor this fake issued for this query.</summary>
    public RunKey? Decode(string cursor, bool descending, string filterFingerprint)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == cursor.Length - 1) return null;
        byte[] payload, tag;
        try
        {
            payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            tag = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(tag, Tag(payload, filterFingerprint))) return null;
        CursorPayload? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize(payload, FakeJsonContext.Wire.CursorPayload);
        }
        catch (JsonException)
        {
            return null;
        }
        if (decoded is null || decoded.Direction != (descending ? "desc" : "asc")) return null;
        return new RunKey(DateTime.SpecifyKind(decoded.CreatedAt, DateTimeKind.Utc).Ticks, decoded.Id);
    }

    private byte[] Tag(byte[] payload, string filterFingerprint)
    {
        var filters = Encoding.UTF8.GetBytes(filterFingerprint);
        var message = new byte[payload.Length + 1 + filters.Length];
        payload.CopyTo(message, 0);
        filters.CopyTo(message, payload.Length + 1);
        return HMACSHA256.HashData(key, message).AsSpan(0, TagBytes).ToArray();
    }
}
