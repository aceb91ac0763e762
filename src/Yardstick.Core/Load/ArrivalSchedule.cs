using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load;

/// <summary>
/// The intended start offsets (from the shard start) of one shard's arrivals under an <see cref="ArrivalCurve"/>.
/// <para>
/// <b>Uniform</b>: with the cumulative rate Λ(t) = ∫₀ᵗ rate, global arrival <c>k</c> (0-based) is due where
/// Λ(t) = k + ½, so a curve yields exactly round(Λ(T)) arrivals (the integral of its stages). Shard <c>i</c> of
/// <c>K</c> takes the global arrivals k ≡ i (mod K), so the shards of a run add up to the run exactly.
/// </para>
/// <para>
/// <b>Poisson</b>: each shard is an independent, seeded, non-homogeneous Poisson process with rate λ(t)/K (the
/// superposition of the K shards is a Poisson process of rate λ(t)); unit-rate exponential gaps are mapped through
/// Λ⁻¹. Counts are random but repeatable for a seed.
/// </para>
/// Enumeration allocates nothing per arrival: <see cref="Enumerator"/> is a struct and ramps are inverted analytically.
/// </summary>
public sealed class ArrivalSchedule
{
    private readonly double[] _stageStartSeconds;
    private readonly double[] _stageDurationSeconds;
    private readonly double[] _stageStartRate;
    private readonly double[] _stageEndRate;

    // Λ at the start of each stage, plus Λ(T) at index Stages.Count.
    private readonly double[] _cumulative;

    public ArrivalSchedule(ArrivalCurve curve, int shardIndex = 0, int shardCount = 1, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (shardCount < 1)
        {
            throw new InputException("load.shards", $"shard count must be at least 1 (was {shardCount}).");
        }

        if (shardIndex < 0 || shardIndex >= shardCount)
        {
            throw new InputException("plan.shardIndex", $"shard index must be in [0, {shardCount}) (was {shardIndex}).");
        }

        var n = curve.Stages.Count;
        _stageStartSeconds = new double[n];
        _stageDurationSeconds = new double[n];
        _stageStartRate = new double[n];
        _stageEndRate = new double[n];
        _cumulative = new double[n + 1];
        var previousRate = Check(curve.StartRate.PerSecond, "load.startRate");
        var t = 0.0;
        for (var i = 0; i < n; i++)
        {
            var stage = curve.Stages[i];
            if (stage.Duration < TimeSpan.Zero)
            {
                throw new InputException($"load.stages[{i}].duration", "stage duration must not be negative.");
            }

            var target = Check(stage.Target.PerSecond, $"load.stages[{i}].target");
            var d = stage.Duration.TotalSeconds;
            _stageStartSeconds[i] = t;
            _stageDurationSeconds[i] = d;
            _stageStartRate[i] = previousRate;
            _stageEndRate[i] = target;
            _cumulative[i + 1] = _cumulative[i] + ((previousRate + target) * d / 2);
            t += d;
            previousRate = target;
        }

        Curve = curve;
        ShardIndex = shardIndex;
        ShardCount = shardCount;
        Seed = seed;
        DurationSeconds = t;
        ExpectedTotal = _cumulative[n];
        RunArrivals = curve.Process == ArrivalProcess.Uniform ? (long)Math.Floor(ExpectedTotal + 0.5) : -1;
    }

    public ArrivalCurve Curve { get; }

    public int ShardIndex { get; }

    public int ShardCount { get; }

    public long Seed { get; }

    /// <summary>Length of the curve (sum of its stages).</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    internal double DurationSeconds { get; }

    /// <summary>Λ(T): the expected number of arrivals of the whole run (exact count for Uniform after rounding).</summary>
    public double ExpectedTotal { get; }

    /// <summary>Arrivals of the whole run for Uniform (round(Λ(T))); -1 for Poisson, whose count is random.</summary>
    public long RunArrivals { get; }

    /// <summary>
    /// Number of arrivals of this shard. O(1) for Uniform; for Poisson it enumerates the shard's arrivals.
    /// </summary>
    public long Count
    {
        get
        {
            if (RunArrivals >= 0)
            {
                return RunArrivals > ShardIndex ? ((RunArrivals - ShardIndex - 1) / ShardCount) + 1 : 0;
            }

            long count = 0;
            var e = GetEnumerator();
            while (e.MoveNext())
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>Arrivals of shard <paramref name="shardIndex"/> of <paramref name="shardCount"/> under <paramref name="curve"/>.</summary>
    public static long CountArrivals(ArrivalCurve curve, int shardIndex, int shardCount, long seed = 0) =>
        new ArrivalSchedule(curve, shardIndex, shardCount, seed).Count;

    public Enumerator GetEnumerator() => new(this);

    /// <summary>
    /// Time t (seconds from the curve start) where Λ(t) = <paramref name="target"/>, for 0 &lt; target ≤ Λ(T).
    /// <paramref name="stage"/> is a cursor: targets must not decrease between calls that share it.
    /// </summary>
    internal double TimeAt(double target, ref int stage)
    {
        var last = _stageDurationSeconds.Length - 1;
        while (stage < last && target > _cumulative[stage + 1])
        {
            stage++;
        }

        // Now Λ(stage start) < target ≤ Λ(stage end): stages that add nothing (zero length or zero rate) are never chosen.
        var y = target - _cumulative[stage];
        var d = _stageDurationSeconds[stage];
        var r0 = _stageStartRate[stage];
        var r1 = _stageEndRate[stage];
        double tau;
        if (y <= 0)
        {
            tau = 0;
        }
        else if (r1 == r0)
        {
            tau = r0 > 0 ? y / r0 : d;
        }
        else
        {
            // Λ(τ) = r0·τ + a·τ², a = (r1 − r0) / 2d. The root 2y / (r0 + √(r0² + 4ay)) is the positive one and stays
            // accurate when a is tiny (no cancellation), for ramps up and down alike.
            var a = (r1 - r0) / (2 * d);
            var discriminant = Math.Max(0, (r0 * r0) + (4 * a * y));
            var denominator = r0 + Math.Sqrt(discriminant);
            tau = denominator > 0 ? 2 * y / denominator : d;
        }

        return _stageStartSeconds[stage] + Math.Clamp(tau, 0, d);
    }

    private static double Check(double rate, string field) =>
        rate >= 0 && double.IsFinite(rate) ? rate : throw new InputException(field, $"rate must be a finite non-negative number (was {rate}).");

    /// <summary>Enumerates a shard's intended start offsets in increasing order. A struct: nothing is allocated per arrival.</summary>
    public struct Enumerator : IArrivalTimeline
    {
        private readonly ArrivalSchedule _schedule;
        private readonly bool _poisson;
        private ulong _rng;
        private long _nextGlobal;
        private double _unitTime;
        private int _stage;

        internal Enumerator(ArrivalSchedule schedule)
        {
            _schedule = schedule;
            _poisson = schedule.RunArrivals < 0;
            _nextGlobal = schedule.ShardIndex;
            _rng = SeedMix.Mix((ulong)schedule.Seed ^ ((ulong)(uint)schedule.ShardIndex * 0x9E3779B97F4A7C15UL) ^ 0x5DEECE66DUL);
            _unitTime = 0;
            _stage = 0;
            CurrentSeconds = 0;
            Index = -1;
        }

        /// <summary>Intended start of the current arrival, in seconds from the shard start.</summary>
        public double CurrentSeconds { get; private set; }

        /// <summary>Intended start of the current arrival, from the shard start.</summary>
        public readonly TimeSpan Current => TimeSpan.FromSeconds(CurrentSeconds);

        /// <summary>0-based index of the current arrival within this shard.</summary>
        public long Index { get; private set; }

        /// <summary>The current offset in ticks of a clock with <paramref name="frequency"/> ticks per second (e.g. Stopwatch).</summary>
        public readonly long CurrentTicks(long frequency) => (long)(CurrentSeconds * frequency);

        public bool MoveNext()
        {
            if (_schedule is null || _schedule._stageDurationSeconds.Length == 0)
            {
                return false;
            }

            double target;
            if (_poisson)
            {
                // Unit-rate exponential gaps in the shard's own Λ/K time; mapped back through Λ⁻¹.
                _unitTime += -Math.Log(1.0 - NextUnit());
                target = _unitTime * _schedule.ShardCount;
                if (target > _schedule.ExpectedTotal)
                {
                    return false;
                }
            }
            else
            {
                if (_nextGlobal >= _schedule.RunArrivals)
                {
                    return false;
                }

                target = _nextGlobal + 0.5;
                _nextGlobal += _schedule.ShardCount;
            }

            CurrentSeconds = _schedule.TimeAt(target, ref _stage);
            Index++;
            return true;
        }

        // SplitMix64 stream: fast, seedable, identical on every platform (System.Random's algorithm is not a contract).
        private double NextUnit()
        {
            _rng += 0x9E3779B97F4A7C15UL;
            return (SeedMix.Mix(_rng) >> 11) * (1.0 / (1UL << 53));
        }
    }
}

/// <summary>SplitMix64 finalizer used to derive seeds and random streams deterministically.</summary>
internal static class SeedMix
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
