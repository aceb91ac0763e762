using BenchmarkDotNet.Attributes;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Benchmarks;

/// <summary>Generating one million intended starts: a multi-stage uniform curve, and seeded Poisson.</summary>
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    private const int Arrivals = 1_000_000;
    private ArrivalSchedule _uniform = null!;
    private ArrivalSchedule _poisson = null!;

    [GlobalSetup]
    public void Setup()
    {
        // 0 → 10 k/s over 100 s (500 k), then 10 k/s for 50 s (500 k).
        var curve = new ArrivalCurve
        {
            StartRate = Rate.Zero,
            Stages = [new StageSpec(TimeSpan.FromSeconds(100), Rate.FromPerSecond(10_000)), new StageSpec(TimeSpan.FromSeconds(50), Rate.FromPerSecond(10_000))],
        };
        _uniform = new ArrivalSchedule(curve);
        _poisson = new ArrivalSchedule(curve with { Process = ArrivalProcess.Poisson }, seed: 5);
    }

    [Benchmark(OperationsPerInvoke = Arrivals)]
    public double Uniform() => Sum(_uniform);

    [Benchmark(OperationsPerInvoke = Arrivals)]
    public double Poisson() => Sum(_poisson);

    private static double Sum(ArrivalSchedule schedule)
    {
        var sum = 0.0;
        var e = schedule.GetEnumerator();
        while (e.MoveNext())
        {
            sum += e.CurrentSeconds;
        }

        return sum;
    }
}
