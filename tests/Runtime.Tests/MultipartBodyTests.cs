using System.Text;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

public class MultipartBodyTests
{
    private static (string Body, string ContentType) Encode(string json, params string[] binary)
    {
        var (body, contentType) = MultipartBody.Encode(Encoding.UTF8.GetBytes(json), binary);
        return (Encoding.Latin1.GetString(body), contentType);
    }

    [Test]
    public void Each_property_is_a_part_with_the_default_content_type_of_its_kind()
    {
        var file = Convert.ToBase64String([0x89, 0x50, 0x00, 0xFF]);
        var (body, contentType) = Encode($$"""{"file":"{{file}}","note":"héllo","count":3,"dry_run":true,"mapping":{"a":1},"skip":null}""", "file");

        var boundary = contentType.Split("boundary=")[1].Trim('"');
        var parts = body.Split("--" + boundary).Where(p => p.Trim() is { Length: > 0 } and not "--").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(contentType, Does.StartWith("multipart/form-data; boundary="));
            Assert.That(parts, Has.Count.EqualTo(5), "a null property sends no part");
            Assert.That(parts[0], Does.Contain("Content-Type: application/octet-stream").And.Contain("name=file; filename=file")
                .And.Contain("\r\n\r\n" + Encoding.Latin1.GetString([0x89, 0x50, 0x00, 0xFF]) + "\r\n"), "the file part carries the raw bytes");
            Assert.That(parts[1], Does.Contain("Content-Type: text/plain; charset=utf-8").And.Contain("name=note")
                .And.Contain(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("héllo"))));
            Assert.That(parts[2], Does.Contain("name=count").And.Contain("\r\n\r\n3\r\n"));
            Assert.That(parts[3], Does.Contain("name=dry_run").And.Contain("\r\n\r\ntrue\r\n"));
            Assert.That(parts[4], Does.Contain("Content-Type: application/json; charset=utf-8").And.Contain("""{"a":1}"""));
        });
    }

    [Test]
    public void An_array_sends_one_part_per_item()
    {
        var (body, _) = Encode($$"""{"files":["{{Convert.ToBase64String([1])}}","{{Convert.ToBase64String([2])}}"],"tags":["a","b"]}""", "files");

        Assert.Multiple(() =>
        {
            Assert.That(body.Split("name=files; filename=files").Length - 1, Is.EqualTo(2));
            Assert.That(body.Split("name=tags").Length - 1, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_binary_property_that_is_not_base64_or_a_body_that_is_not_an_object_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Encode("""{"file":"not base64!"}""", "file"), Throws.ArgumentException.With.Message.Contains("'file' is not base64"));
            Assert.That(() => Encode("[1]"), Throws.ArgumentException.With.Message.Contains("A multipart body is a JSON object"));
        });
    }
}
