using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;
using MathNet.Numerics.RootFinding;

namespace Yardstick.Core.Statistics;

/// <summary>
/// The one-sided normal tolerance factor k: from n observations with mean m and standard deviation s, the bound
/// m + k·s exceeds at least a share <c>coverage</c> of the population with probability <c>confidence</c>. Exact:
/// k = t'⁻¹(confidence; ν = n − 1, δ = z_coverage·√n) / √n, the quantile of the noncentral t distribution
/// (NIST/SEMATECH e-Handbook of Statistical Methods, §7.2.6.3), computed by integrating the noncentral t CDF over the
/// chi-square density and solving for the quantile.
/// </summary>
public static class NormalToleranceFactor
{
    /// <param name="n">Observations (at least 2).</param>
    /// <param name="coverage">Share of the population below the bound, in (0.5, 1).</param>
    /// <param name="confidence">Probability that the bound covers that share, in (0, 1).</param>
    public static double OneSided(int n, double coverage, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        if (!(coverage is > 0.5 and < 1) || !(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), "coverage must lie in (0.5, 1) and confidence in (0, 1).");
        }

        var nu = n - 1.0;
        var delta = Normal.InvCDF(0, 1, coverage) * Math.Sqrt(n);
        var t = Brent.FindRoot(x => NoncentralTCdf(x, nu, delta) - confidence, delta * 0.5, delta * 20 + 50, 1e-10, 200);
        return t / Math.Sqrt(n);
    }

    /// <summary>P(T ≤ t) for the noncentral t with ν degrees of freedom and noncentrality δ: ∫ Φ(t·√(x/ν) − δ) f_χ²(ν)(x) dx.</summary>
    internal static double NoncentralTCdf(double t, double nu, double delta)
    {
        var chi = new ChiSquared(nu);
        // The chi-square mass lies within a few standard deviations of ν; integrate over [0, ν + 40·√(2ν) + 40].
        var upper = nu + (40 * Math.Sqrt(2 * nu)) + 40;
        return GaussKronrodRule.Integrate(x => x <= 0 ? 0 : Normal.CDF(0, 1, (t * Math.Sqrt(x / nu)) - delta) * chi.Density(x), 0, upper, out _, out _, 1e-10, 20, 21);
    }
}
