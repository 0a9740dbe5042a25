namespace TinyFish.Toolkit.Generator.Helpers;

/// <summary>Bit counting for the masks of required properties (netstandard2.0 has no BitOperations).</summary>
internal static class Bits
{
    public static int Count(ulong value)
    {
        var count = 0;
        for (; value != 0; value &= value - 1) count++;
        return count;
    }
}
