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

// `scale <shards> <seconds> <rate per shard> [instances]` measures persisting and analysing a run of that width and
// length (with "instances": responses name their instance, as Azure Functions targets do).
if (args.Length is 4 or 5 && args[0] == "scale")
{
    ScaleBench.Run(
        int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
        double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture),
        instanceHeader: args.Length == 5 && args[4] == "instances");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RecordBenchmarks).Assembly).Run(args);
