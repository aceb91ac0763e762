using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class BucketQuantileEstimatorTests
{
    // Buckets (10 ms × 3, 20 ms × 5, 30 ms × 2) expand to 10,10,10,20,20,20,20,20,30,30. R:
    // quantile(c(10,10,10,20,20,20,20,20,30,30), c(0.1, 0.3, 0.31, 0.8, 0.81, 0.95, 1), type = 1)
    // = 10 10 20 20 30 30 30 (type 1: the smallest x with F(x) ≥ p; worked by hand from the cumulative counts 3, 8, 10).
    [Theory]
    [InlineData(0.1, 10)]
    [InlineData(0.3, 10)]
    [InlineData(0.31, 20)]
    [InlineData(0.8, 20)]
    [InlineData(0.81, 30)]
    [InlineData(0.95, 30)]
    [InlineData(1.0, 30)]
    public void Quantile_SmallHistogram_MatchesTypeOneDefinition(double probability, double expected)
    {
        (double, double)[] buckets = [(20, 5), (10, 3), (30, 2)];

        Assert.Equal(expected, BucketQuantileEstimator.Quantile(buckets, probability));
    }

    [Fact]
    public void QuantilesSorted_SeveralProbabilities_OnePassAgreesWithSingleCalls()
    {
        double[] values = [1, 2, 3, 5, 8, 13];
        double[] counts = [4, 0, 7, 1, 2, 6];
        double[] probabilities = [0.05, 0.5, 0.9, 0.99];
        var result = new double[4];

        BucketQuantileEstimator.QuantilesSorted(values, counts, probabilities, result);

        var single = probabilities.Select(p => BucketQuantileEstimator.Quantile(values.Zip(counts), p));
        Assert.Equal(single, result);
    }

    [Fact]
    public void Quantile_NoCounts_IsNaN()
    {
        Assert.True(double.IsNaN(BucketQuantileEstimator.Quantile([(5.0, 0.0)], 0.5)));
    }
}
