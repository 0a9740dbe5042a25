using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;

namespace TinyFish.FakeServer.Streaming;

/// <summary>
/// The screenshot of a step: a 320×200 PNG of a made-up page (an address bar, a coloured banner,
/// lines of "text" and a button) that differs from step to step, so a person following the live
/// view sees the agent move on. The same step always gives the same bytes.
/// </summary>
internal static class StepScreenshots
{
    public const int Width = 320;
    public const int Height = 200;

    private static readonly ConcurrentDictionary<int, byte[]> Made = new();

    /// <summary>The PNG of step <paramref name="step"/> (1-based).</summary>
    public static byte[] Png(int step) => Made.GetOrAdd(Math.Clamp(step, 1, 1000), Draw);

    private static byte[] Draw(int step)
    {
        var (r, g, b) = Hue((step * 47) % 360);
        var pixels = new byte[Height * (1 + Width * 3)];
        for (var y = 0; y < Height; y++)
        {
            var row = y * (1 + Width * 3);
            pixels[row] = 0; // filter: none
            for (var x = 0; x < Width; x++)
            {
                var (pr, pg, pb) = Pixel(x, y, step, (r, g, b));
                var at = row + 1 + x * 3;
                pixels[at] = pr;
                pixels[at + 1] = pg;
                pixels[at + 2] = pb;
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        Chunk(png, "IHDR"u8, header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(pixels);
            Chunk(png, "IDAT"u8, compressed.ToArray());
        }
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static (byte, byte, byte) Pixel(int x, int y, int step, (byte R, byte G, byte B) accent)
    {
        if (y < 24) return y == 23 ? ((byte)200, (byte)200, (byte)200) : x is > 60 and < 300 && y is > 5 and < 19 ? ((byte)255, (byte)255, (byte)255) : ((byte)232, (byte)232, (byte)232);
        if (y is >= 36 and < 86 && x is >= 16 and < 304) return accent;
        // Lines of "text", as long as the step says, and a button that moves down the page.
        for (var line = 0; line < 5; line++)
        {
            var top = 100 + line * 14;
            var length = 80 + ((step * 37 + line * 53) % 200);
            if (y >= top && y < top + 6 && x >= 16 && x < 16 + length) return (190, 190, 190);
        }
        var buttonTop = 172 - (step % 3) * 4;
        if (y >= buttonTop && y < buttonTop + 18 && x >= 16 + (step % 4) * 60 && x < 96 + (step % 4) * 60) return (accent.R, (byte)(accent.G / 2), accent.B);
        return (255, 255, 255);
    }

    private static (byte, byte, byte) Hue(int degrees)
    {
        var sector = degrees / 60;
        var fraction = (degrees % 60) / 60.0;
        byte Up() => (byte)(90 + 140 * fraction);
        byte Down() => (byte)(230 - 140 * fraction);
        return sector switch
        {
            0 => (230, Up(), 90),
            1 => (Down(), 230, 90),
            2 => (90, 230, Up()),
            3 => (90, Down(), 230),
            4 => (Up(), 90, 230),
            _ => (230, 90, Down()),
        };
    }

    private static void Chunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(type);
        png.Write(data);
        var crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(number, crc);
        png.Write(number);
    }

    /// <summary>The CRC-32 PNG chunks end with (ISO-HDLC, the zlib one).</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(static n =>
        {
            var c = (uint)n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }).ToArray();

        public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
        {
            foreach (var value in bytes) crc = Table[(crc ^ value) & 0xFF] ^ (crc >> 8);
            return crc;
        }
    }
}
