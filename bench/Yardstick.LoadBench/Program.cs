using Yardstick.LoadBench;

// Must come before the first socket operation: the runtime reads it once, when the socket engine starts.
// Inline completions run socket continuations on the epoll thread instead of hopping to the thread pool.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

// As the CLI and the Functions worker do: a pooled buffer for every HTTP/2 stream in flight (read at first pool use).
Yardstick.Core.Load.Transports.LoadProcessEnvironment.KeepHttp2Buffers();

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args[1..]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"loadbench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

switch (args[0])
{
    case "transport":
        return await TransportBench.RunAsync(options);

    case "engine":
        return await EngineBench.RunAsync(options);

    case "replay":
        return await ReplayBench.RunAsync(options);

    default:
        Console.Error.WriteLine($"loadbench: unknown mode '{args[0]}'");
        Console.Error.WriteLine(BenchOptions.Usage);
        return 2;
}
