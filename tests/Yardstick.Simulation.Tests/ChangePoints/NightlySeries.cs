namespace Yardstick.Simulation.Tests.ChangePoints;

/// <summary>
/// Synthetic nightly series with known answers: one value per night (a p95 in ms), multiplicative log-normal noise around
/// a level that does what the scenario says. Seeded: the same seed always gives the same series.
/// </summary>
public static class NightlySeries
{
    public const double Level = 40.0;

    /// <summary>No change: noise only.</summary>
    public static double[] NoChange(int seed, int nights = 90, double noise = 0.03) =>
        Generate(seed, nights, noise, _ => 1.0);

    /// <summary>A step of <paramref name="step"/> (0.10 = +10 %) from night <paramref name="at"/> on.</summary>
    public static double[] Step(int seed, int nights, int at, double step, double noise = 0.03) =>
        Generate(seed, nights, noise, night => night >= at ? 1 + step : 1.0);

    /// <summary>A slow creep: from night <paramref name="from"/> each night is <paramref name="perNight"/> slower than the one before.</summary>
    public static double[] Creep(int seed, int nights, int from, double perNight, double noise = 0.03) =>
        Generate(seed, nights, noise, night => night < from ? 1.0 : Math.Pow(1 + perNight, night - from + 1));

    /// <summary>The same level, but the noise grows from <paramref name="noiseBefore"/> to <paramref name="noiseAfter"/> at night <paramref name="at"/>.</summary>
    public static double[] VarianceChange(int seed, int nights, int at, double noiseBefore, double noiseAfter)
    {
        var random = new SimulationRandom(seed);
        return Enumerable.Range(0, nights).Select(night => Level * Math.Exp(random.Gaussian() * (night >= at ? noiseAfter : noiseBefore))).ToArray();
    }

    /// <summary>No change, but single nights <paramref name="outlierNights"/> are <paramref name="factor"/> times slower (a noisy neighbour, a GC storm).</summary>
    public static double[] Outliers(int seed, int nights, IReadOnlyList<int> outlierNights, double factor, double noise = 0.03)
    {
        var series = NoChange(seed, nights, noise);
        foreach (var night in outlierNights)
        {
            series[night] *= factor;
        }

        return series;
    }

    private static double[] Generate(int seed, int nights, double noise, Func<int, double> shape)
    {
        var random = new SimulationRandom(seed);
        return Enumerable.Range(0, nights).Select(night => Level * shape(night) * Math.Exp(random.Gaussian() * noise)).ToArray();
    }
}
