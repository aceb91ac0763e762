namespace Yardstick.Core.ServerMetrics;

/// <summary>
/// One reading of a local target process, taken by <see cref="ProcessSampler"/>.
/// </summary>
/// <param name="At">When the reading was taken (host clock).</param>
/// <param name="Pid">The process read (a restarted target has a new one).</param>
/// <param name="CpuPercent">CPU time since the previous reading of the same process over the wall time between them, percent of one core.</param>
/// <param name="ResidentMemoryBytes">Working set (resident memory) at <paramref name="At"/>.</param>
public sealed record ProcessSample(DateTimeOffset At, int Pid, double CpuPercent, long ResidentMemoryBytes);

/// <summary>The samples a host holds for one run's target, and why they may be incomplete.</summary>
public sealed record ProcessSampleLog
{
    /// <summary>A run whose target this host never started: nothing was sampled.</summary>
    public static ProcessSampleLog None(string note) => new() { Notes = [note] };

    public IReadOnlyList<ProcessSample> Samples { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];
}
