using System.Text;
using System.Text.RegularExpressions;
using Yardstick.Core.Load.Requests;

namespace Yardstick.Core.Tests.Load.Requests;

public sealed partial class RunCorrelationTests
{
    [Fact]
    public void TraceIdPrefix_RunId_FirstEightBytesOfSha256AsHex()
    {
        // Reference: python3 -c "import hashlib; print(hashlib.sha256(b'yardstick-run:20261129-114817-46470d').hexdigest()[:16])"
        Assert.Equal("062ec25d7323dea7", RunCorrelation.TraceIdPrefix("20261129-114817-46470d"));
    }

    [Fact]
    public void TraceParentWriter_ManyExchanges_W3cFormatRunPrefixAndDistinctIds()
    {
        var prefix = RunCorrelation.TraceIdPrefix("20261129-114817-46470d");
        var writer = new TraceParentWriter(prefix, shardSeed: 99);
        var buffer = new byte[RunCorrelation.TraceParentLength];
        var ids = new HashSet<string>(StringComparer.Ordinal);

        for (var sequence = 0; sequence < 10_000; sequence++)
        {
            writer.Write(sequence, buffer);
            var value = Encoding.ASCII.GetString(buffer);
            Assert.Matches(TraceParent(), value);
            Assert.StartsWith("00-" + prefix, value, StringComparison.Ordinal);
            ids.Add(value[3..35]);
        }

        Assert.Equal(10_000, ids.Count);
    }

    [Fact]
    public void TraceId_OtherShardSeed_OtherIdSamePrefix()
    {
        var a = RunCorrelation.TraceId("run-a", shardSeed: 1, sequence: 0);
        var b = RunCorrelation.TraceId("run-a", shardSeed: 2, sequence: 0);

        Assert.NotEqual(a, b);
        Assert.Equal(a[..16], b[..16]);
    }

    [GeneratedRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$")]
    private static partial Regex TraceParent();
}
