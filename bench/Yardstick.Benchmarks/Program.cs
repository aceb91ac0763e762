using BenchmarkDotNet.Running;
using Yardstick.Benchmarks;

// `overhead [seconds]` measures the whole generator + recording path against an in-memory transport;
// anything else goes to BenchmarkDotNet (for example `--filter *Record*` or `--job dry` for a smoke run).
if (args.Length > 0 && args[0] == "overhead")
{
    var seconds = args.Length > 1 && double.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
    await GeneratorOverhead.RunAsync(TimeSpan.FromSeconds(seconds));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RecordBenchmarks).Assembly).Run(args);
