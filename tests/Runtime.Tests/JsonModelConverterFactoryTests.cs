using System.Text.Json;
using System.Text.Json.Serialization;
using TinyFish.Toolkit.Runtime.Json;

namespace Runtime.Tests;

public class JsonModelConverterFactoryTests
{
    [Test]
    public void A_type_that_names_the_factory_is_read_and_written_by_its_reader_and_writer()
    {
        var point = JsonSerializer.Deserialize<Point>("""{"x":1,"y":2}""");

        Assert.That(point, Is.EqualTo(new Point(1, 2)));
        Assert.That(JsonSerializer.Serialize(point), Is.EqualTo("""{"x":1,"y":2}"""));
    }

    [Test]
    public void The_factory_converts_only_the_types_it_maps_and_creates_each_converter_once()
    {
        var factory = new PointFactory();

        Assert.That(factory.CanConvert(typeof(Point)), Is.True);
        Assert.That(factory.CanConvert(typeof(string)), Is.False);
        var first = factory.CreateConverter(typeof(Point), JsonSerializerOptions.Default);
        var second = factory.CreateConverter(typeof(Point), JsonSerializerOptions.Default);
        Assert.That(second, Is.SameAs(first));
        Assert.That(factory.Created, Is.EqualTo(2), "one lookup for Point and one for string, each cached");
    }

    [Test]
    public void Asking_for_a_type_it_does_not_map_is_a_clear_error()
    {
        var factory = new PointFactory();

        var error = Assert.Throws<NotSupportedException>(() => factory.CreateConverter(typeof(Uri), JsonSerializerOptions.Default));
        Assert.That(error!.Message, Does.Contain("System.Uri"));
    }

    [JsonConverter(typeof(PointFactory))]
    public sealed record Point(int X, int Y);

    private sealed class PointFactory : JsonModelConverterFactory
    {
        public int Created { get; private set; }

        protected override JsonConverter? Create(Type typeToConvert)
        {
            Created++;
            return typeToConvert == typeof(Point) ? new JsonModelConverter<Point>(ReadPoint, WritePoint) : null;
        }

        private static Point ReadPoint(ref Utf8JsonReader reader)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new Point(document.RootElement.GetProperty("x").GetInt32(), document.RootElement.GetProperty("y").GetInt32());
        }

        private static void WritePoint(Utf8JsonWriter writer, Point value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("x", value.X);
            writer.WriteNumber("y", value.Y);
            writer.WriteEndObject();
        }
    }
}
