using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class CircularBlockBootstrapTests
{
    [Fact]
    public void Resample_SameSeed_GivesSameReplicates()
    {
        var a = new CircularBlockBootstrap(60, 5, seed: 42);
        var b = new CircularBlockBootstrap(60, 5, seed: 42);
        var x = new int[60];
        var y = new int[60];

        for (var i = 0; i < 10; i++)
        {
            a.Resample(x);
            b.Resample(y);
            Assert.Equal(x, y);
        }
    }

    [Fact]
    public void Resample_IndicesComeInConsecutiveCircularBlocks()
    {
        var bootstrap = new CircularBlockBootstrap(23, 5, seed: 7);
        var indices = new int[23];

        bootstrap.Resample(indices);

        Assert.Equal(5, bootstrap.BlocksPerReplicate);
        Assert.Equal(3, bootstrap.LastBlockLength);
        for (var i = 0; i < indices.Length; i++)
        {
            Assert.InRange(indices[i], 0, 22);
            if (i % 5 != 0)
            {
                Assert.Equal((indices[i - 1] + 1) % 23, indices[i]);
            }
        }
    }

    [Fact]
    public void Resample_ManyReplicates_UseEveryIndexAboutEquallyOften()
    {
        // Circularity makes every index equally likely (the moving-block bootstrap under-weights the ends).
        var bootstrap = new CircularBlockBootstrap(20, 4, seed: 3);
        var indices = new int[20];
        var hits = new int[20];
        for (var r = 0; r < 5000; r++)
        {
            bootstrap.Resample(indices);
            foreach (var i in indices)
            {
                hits[i]++;
            }
        }

        // Expected 5000 per index; a block start is multinomial, so ± 6 % is several standard deviations.
        Assert.All(hits, h => Assert.InRange(h, 4700, 5300));
    }
}
