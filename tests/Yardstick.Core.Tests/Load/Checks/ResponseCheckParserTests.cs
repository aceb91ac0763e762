using Yardstick.Core.Load.Checks;

namespace Yardstick.Core.Tests.Load.Checks;

/// <summary>The check grammar: what parses into what, and the messages for what does not.</summary>
public sealed class ResponseCheckParserTests
{
    private static ResponseCheck Parse(string text, string? name = null) => ResponseCheckParser.Parse(new CheckSpec(text, name), "checks[0]");

    [Fact]
    public void Parse_StatusIn_ReadsTheCodes()
    {
        var check = Parse("status in [200, 201]");

        Assert.Equal(CheckSubject.Status, check.Subject);
        Assert.Equal(CheckOperator.In, check.Operator);
        Assert.Equal([200, 201], check.Codes);
        Assert.Equal("status in [200, 201]", check.Name);
        Assert.False(check.NeedsBody);
    }

    [Theory]
    [InlineData("status == 200", CheckOperator.Equal, 200)]
    [InlineData("status<400", CheckOperator.Less, 400)]
    [InlineData("status >= 200", CheckOperator.GreaterOrEqual, 200)]
    [InlineData("status != 503", CheckOperator.NotEqual, 503)]
    public void Parse_StatusComparison(string text, CheckOperator op, int code)
    {
        var check = Parse(text);

        Assert.Equal(op, check.Operator);
        Assert.Equal(code, check.Number);
    }

    [Fact]
    public void Parse_Header_ContainsExistsAndEquals()
    {
        var contains = Parse("header content-type ~ json");
        var exists = Parse("header ETag exists");
        var equals = Parse("header x-version == \"2 beta\"");

        Assert.Equal(("content-type", CheckOperator.Contains, "json"), (contains.HeaderName, contains.Operator, contains.Text));
        Assert.Equal(CheckOperator.Exists, exists.Operator);
        Assert.Equal("2 beta", equals.Text);
    }

    [Fact]
    public void Parse_Body_QuotedOrRestOfLine()
    {
        Assert.Equal("\"status\":\"ok\"", Parse("body contains \"\\\"status\\\":\\\"ok\\\"\"").Text);
        Assert.Equal("all good here", Parse("body contains all good here").Text);
        var not = Parse("body !contains error");
        Assert.Equal(CheckOperator.NotContains, not.Operator);
        Assert.True(not.NeedsBody);
    }

    [Fact]
    public void Parse_Json_PathsLiteralsAndLength()
    {
        var length = Parse("json $.items.length > 0");
        var text = Parse("json $.status == \"ok\"");
        var nested = Parse("json $.items[2].id >= 3");
        var odd = Parse("json $[\"odd key\"].length == 1");
        var boolean = Parse("json $.paid == true");
        var exists = Parse("json $.items[0] exists");

        Assert.Equal([new JsonPathSegment("items", 0)], length.Path);
        Assert.True(length.Length);
        Assert.Equal(CheckOperator.Greater, length.Operator);
        Assert.Equal((JsonLiteralKind.String, "ok"), (text.Literal, text.Text));
        Assert.Equal([new JsonPathSegment("items", 0), new JsonPathSegment(null, 2), new JsonPathSegment("id", 0)], nested.Path);
        Assert.Equal([new JsonPathSegment("odd key", 0)], odd.Path);
        Assert.True(odd.Length);
        Assert.Equal(JsonLiteralKind.True, boolean.Literal);
        Assert.Equal(CheckOperator.Exists, exists.Operator);
        Assert.True(text.NeedsBody);
    }

    [Fact]
    public void Parse_BracketedLength_IsAPropertyNotTheLength()
    {
        var check = Parse("json $[\"length\"] == 3");

        Assert.False(check.Length);
        Assert.Equal([new JsonPathSegment("length", 0)], check.Path);
    }

    [Theory]
    [InlineData("size <= 64KB", 64_000)]
    [InlineData("size < 1MiB", 1024 * 1024)]
    [InlineData("size <= 10", 10)]
    public void Parse_Size_InBytes(string text, double bytes) => Assert.Equal(bytes, Parse(text).Number);

    [Theory]
    [InlineData("latency < 500ms", 500)]
    [InlineData("latency <= 2s", 2000)]
    [InlineData("latency < 250us", 0.25)]
    public void Parse_Latency_InMilliseconds(string text, double ms) => Assert.Equal(ms, Parse(text).Number, 9);

    [Fact]
    public void Parse_Named_KeepsTheNameAndTheExpression()
    {
        var check = Parse("  status in [200] ", "ok-status");

        Assert.Equal("ok-status", check.Name);
        Assert.Equal("status in [200]", check.Expression);
        Assert.Equal("check 'ok-status' failed", check.FailureText);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("json $.x >", "a value is missing")]
    [InlineData("json $.x", "an operator is missing")]
    [InlineData("json x == 1", "starts with '$'")]
    [InlineData("json $.items[a] == 1", "index")]
    [InlineData("json $.items[0 == 1", "']' is missing")]
    [InlineData("json $.name > \"a\"", "only numbers are ordered")]
    [InlineData("json $.items.length == \"3\"", "'.length' is a number")]
    [InlineData("json $.x == maybe", "not a JSON value")]
    [InlineData("status in [200, abc]", "expected a status code")]
    [InlineData("status in [200", "']' is missing")]
    [InlineData("status == 42", "not an HTTP status code")]
    [InlineData("status = 200", "'=' is not an operator")]
    [InlineData("header ~ json", "names the header")]
    [InlineData("header content-type < 3", "compared with ~")]
    [InlineData("body equals x", "body contains TEXT")]
    [InlineData("body contains \"open", "not closed")]
    [InlineData("size <= 3 parsecs", "unexpected 'parsecs'")]
    [InlineData("size <= 3GB", "'GB' is not a size unit")]
    [InlineData("latency < 5", "needs a unit")]
    [InlineData("latency > 5ms", "bounded from above")]
    [InlineData("speed > 3", "'speed' is not something")]
    [InlineData("status == 200 and more", "unexpected 'and more'")]
    public void TryParse_Malformed_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(ResponseCheckParser.TryParse(new CheckSpec(text), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Malformed_ThrowsNamingTheField()
    {
        var e = Assert.Throws<InputException>(() => ResponseCheckParser.Parse(new CheckSpec("json $.x >"), "requests[1].checks[0]"));

        Assert.Equal("requests[1].checks[0]", e.Field);
        Assert.StartsWith("cannot parse 'json $.x >'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AbsurdlyLongExpression_IsRefusedBeforeParsing()
    {
        var text = "body contains " + new string('a', 1_000_000);

        Assert.False(ResponseCheckParser.TryParse(new CheckSpec(text), out _, out var error));
        Assert.Contains($"at most {ResponseCheckParser.MaxExpressionLength}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DeepJsonPath_IsRefused()
    {
        var text = "json $" + string.Concat(Enumerable.Repeat(".a", 40)) + " exists";

        Assert.False(ResponseCheckParser.TryParse(new CheckSpec(text), out _, out var error));
        Assert.Contains("more than 32 segments", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_TooManyChecks_NamesTheList()
    {
        var specs = Enumerable.Range(0, 33).Select(i => new CheckSpec("status == 200", "c" + i)).ToList();

        var e = Assert.Throws<InputException>(() => ResponseChecks.Compile(specs, "requests[0].checks"));
        Assert.Equal("requests[0].checks", e.Field);
    }

    [Fact]
    public void Compile_DuplicateNames_NamesTheSecond()
    {
        var e = Assert.Throws<InputException>(() => ResponseChecks.Compile([new CheckSpec("status == 200"), new CheckSpec(" status == 200")], "target.checks"));

        Assert.Equal("target.checks[1]", e.Field);
    }
}
