using System.Text;
using Yardstick.Core.Workloads;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Workloads.Documents;

/// <summary>Anchors, aliases and deep nesting are refused before any tree is built (see DocumentParser.CheckStructure).</summary>
public sealed class DocumentParserTests
{
    [Fact]
    public void LoadText_BillionLaughs_RefusedNamingTheAnchor()
    {
        var text = HostileDocuments.BillionLaughs();
        Assert.True(Encoding.UTF8.GetByteCount(text) <= 1024, $"{Encoding.UTF8.GetByteCount(text)} bytes");

        var error = Assert.Single(TestWorkloads.Invalid(text).Errors);

        Assert.Equal(2, error.Line);
        Assert.Contains("YAML anchors (&a) are not accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_MergeKeyOnAnAnchoredMapping_Refused()
    {
        var text = TestWorkloads.Minimal + "\ntags: &base { team: a }\ncompare:\n  <<: *base\n";

        var error = Assert.Single(TestWorkloads.Invalid(text).Errors);

        Assert.Contains("anchors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_AliasWithoutAnchorSyntax_RefusedNamingTheAlias()
    {
        // An alias to an undefined anchor is a syntax error in YamlDotNet's tree loader; the event scan sees the alias first.
        var error = Assert.Single(TestWorkloads.Invalid(TestWorkloads.Minimal + "\ndescription: *nothing\n").Errors);

        Assert.Contains("aliases (*nothing)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_NestedDeeperThanTheCap_RefusedNamingTheDepth()
    {
        var error = Assert.Single(TestWorkloads.Invalid(HostileDocuments.DeeplyNested(40)).Errors);

        Assert.Contains("nested more than 32 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_JsonNestedDeeperThanTheCap_Refused()
    {
        var json = "{\"name\": \"deep\", \"tags\": {\"x\": " + new string('[', 40) + new string(']', 40) + "}}";

        var error = Assert.Single(TestWorkloads.Invalid(json).Errors);

        Assert.Contains("nested more than 32 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_OverrideValueWithAnchor_RefusedNamingTheOverride()
    {
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal, "thresholds=[&x 'p(95) < 200ms', *x]").Errors;

        Assert.Contains(errors, e => e.Message.Contains("anchors (&x) are not accepted", StringComparison.Ordinal));
    }
}
