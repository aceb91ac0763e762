using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class BlockLengthSelectorTests
{
    [Fact]
    public void Lag1Autocorrelation_AlternatingSeries_IsStronglyNegative()
    {
        // 1, -1, 1, -1 …: lag-1 products sum to -(n - 1) over a variance sum of n (Box–Jenkins ACF): -(n-1)/n.
        var series = Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToList();

        Assert.Equal(-0.9, BlockLengthSelector.Lag1Autocorrelation(series), 1e-12);
    }

    [Fact]
    public void FromAutocorrelation_IndependentNoise_UsesTheMinimum()
    {
        var random = new Random(1);
        var series = Enumerable.Range(0, 60).Select(_ => random.NextDouble()).ToList();

        Assert.Equal(BlockLengthSelector.DefaultMinimum, BlockLengthSelector.FromAutocorrelation(series));
    }

    [Fact]
    public void FromAutocorrelation_StronglyCorrelatedSeries_UsesLongerBlocksButKeepsFiveBlocks()
    {
        // AR(1) with ρ ≈ 0.9: the Politis–White length (2ρ/(1-ρ²))^(2/3)·n^(1/3) ≈ 4.9·4.9 ≈ 24, at the n/5 = 24 cap.
        var random = new Random(5);
        var series = new List<double> { 0 };
        for (var i = 1; i < 120; i++)
        {
            series.Add((0.9 * series[^1]) + (random.NextDouble() - 0.5));
        }

        var length = BlockLengthSelector.FromAutocorrelation(series);

        Assert.InRange(length, 8, 24);
    }

    [Fact]
    public void FromAutocorrelation_ConstantSeries_UsesTheMinimum()
    {
        Assert.Equal(BlockLengthSelector.DefaultMinimum, BlockLengthSelector.FromAutocorrelation(Enumerable.Repeat(2.0, 40).ToList()));
    }

    [Fact]
    public void Lag1Autocorrelation_KnownNoiseVariance_RecoversTheSignalCorrelation()
    {
        // Signal: AR(1) with ρ = 0.6 and unit variance; plus independent noise of variance 1, which halves the raw ρ.
        var random = new Random(11);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var signal = 0.0;
        var series = new List<double>();
        for (var i = 0; i < 20_000; i++)
        {
            signal = (0.6 * signal) + (0.8 * Gaussian());
            series.Add(signal + Gaussian());
        }

        Assert.Equal(0.3, BlockLengthSelector.Lag1Autocorrelation(series), 0.03);
        Assert.Equal(0.6, BlockLengthSelector.Lag1Autocorrelation(series, noiseVariance: 1), 0.05);
    }
}
