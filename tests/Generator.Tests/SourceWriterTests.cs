using TinyFish.Toolkit.Generator.Helpers;

namespace Generator.Tests;

public sealed class SourceWriterTests
{
    [Test]
    public void Blocks_close_their_own_braces_with_indentation()
    {
        var w = new SourceWriter();
        using (w.Block("class A"))
        {
            w.Line("int x;");
        }

        Assert.That(w.Complete(), Is.EqualTo("class A\n{\n    int x;\n}\n"));
    }

    [Test]
    public void Complete_fails_when_a_block_is_still_open()
    {
        var w = new SourceWriter();
        w.Block("class A");
        w.Line("int x;");

        Assert.That(() => w.Complete(), Throws.InvalidOperationException.With.Message.Contains("1 unclosed"));
    }
}
