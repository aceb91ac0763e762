using Yardstick.Core;
using Yardstick.Storage.Tables;

namespace Yardstick.Storage.Tests.Tables;

public sealed class TableKeysTests
{
    [Theory]
    [InlineData("hello-flex", "hello-flex")]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("a\\b", "a~5Cb")]
    [InlineData("#?", "~23~3F")]
    [InlineData("100%", "100~25")]
    [InlineData("~", "~7E")]
    [InlineData("x|y", "x~7Cy")]
    [InlineData("tab\there", "tab~09here")]
    [InlineData("del\u007f", "del~7F")]
    [InlineData("c1\u0085", "c1~85")]
    [InlineData("p(95) < 200ms", "p(95) < 200ms")]
    [InlineData("Üñí 😀", "Üñí 😀")]
    public void Escape_Examples_MatchTheDocumentedEncoding(string value, string expected)
    {
        Assert.Equal(expected, TableKeys.Escape(value));
    }

    [Fact]
    public void Escape_EveryCharacterBelow0x300_RoundTripsAndLeavesNoForbiddenCharacter()
    {
        var all = new string(Enumerable.Range(0, 0x300).Select(i => (char)i).ToArray());

        var key = TableKeys.Escape(all);

        Assert.Equal(all, TableKeys.Unescape(key));
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c));
    }

    [Fact]
    public void Compose_ComponentsContainingTheSeparator_StayDistinct()
    {
        var a = TableKeys.Compose("w|x", "y");
        var b = TableKeys.Compose("w", "x|y");

        Assert.NotEqual(a, b);
        Assert.Equal("w~7Cx|y", a);
        Assert.Equal("w|default", TableKeys.Compose("w", "default", null));
        Assert.Equal("w|default|staging", TableKeys.Compose("w", "default", "staging"));
    }

    [Fact]
    public void Escape_ReservedIndexPartition_IsNeverProducedByEncoding()
    {
        // "~runs" (the run-id index partition) must be unreachable: '~' is always followed by two hex digits.
        Assert.Equal("~7Eruns", TableKeys.Escape("~runs"));
        Assert.Equal(TableRunStore.IndexPartition, TableKeys.Unescape(TableKeys.Escape(TableRunStore.IndexPartition)));
        Assert.NotEqual(TableRunStore.IndexPartition, TableKeys.Escape(TableRunStore.IndexPartition));
    }

    [Fact]
    public void ToKey_TooLongAfterEncoding_ThrowsInputExceptionNamingTheField()
    {
        var error = Assert.Throws<InputException>(() => TableKeys.ToKey(new string('/', 400), "workload"));

        Assert.Equal("workload", error.Field);
        Assert.Equal(1024, TableKeys.ToKey(new string('a', 1024), "workload").Length);
    }

    [Fact]
    public void ToKey_Empty_ThrowsInputExceptionNamingTheField()
    {
        Assert.Equal("metric", Assert.Throws<InputException>(() => TableKeys.ToKey("", "metric")).Field);
    }
}
