using System.Diagnostics;
using System.Globalization;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;

namespace Yardstick.LoadBench;

/// <summary>
/// Closed loop over one transport: every connection sends its next request as soon as the previous response is in.
/// Prints one <c>key=value</c> line: requests per second, process CPU µs and allocated bytes per request (measured
/// window only, after the warm-up).
/// </summary>
internal static class TransportBench
{
    // One counter per cache line (16 longs = 128 bytes) so connections on different cores never share a line.
    private const int Stride = 16;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Workload is not null)
        {
            Console.Error.WriteLine("loadbench: --workload runs in engine mode only");
            return 2;
        }

        var request = new RequestTemplate
        {
            Method = "GET",
            Url = options.Url,
            Transport = options.Transport,
            HttpVersion = options.HttpVersion,
            InsecureSkipTlsVerify = options.Insecure,
        };
        var transportOptions = new TransportOptions
        {
            MaxConnections = options.Connections,
            Policy = options.AllowHosts is null ? TargetPolicy.LoopbackOnly : TargetPolicy.Parse("localhost,127.0.0.1,::1," + options.AllowHosts),
        };

        IHttpTransport transport;
        try
        {
            transportOptions.Policy.EnsureUrlAllowed(options.Url, "--url");
            transport = HttpTransportFactory.Create(request, transportOptions);
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"loadbench: {e.Describe()}");
            return 2;
        }

        await using (transport)
        {
            var counts = new long[options.Connections * Stride];
            var errors = new long[options.Connections * Stride];
            var firstError = new string?[options.Connections];
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, options.Connections)
                .Select(i => Task.Run(() => LoopAsync(transport, i, counts, errors, firstError, stop.Token)))
                .ToArray();

            await Task.Delay(options.Warmup);
            var before = Snapshot.Take(counts, errors);
            await Task.Delay(options.Duration);
            var after = Snapshot.Take(counts, errors);
            await stop.CancelAsync();
            await Task.WhenAll(loops);

            var requests = after.Requests - before.Requests;
            var seconds = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
            var perRequest = Math.Max(1, requests);
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"transport={Name(options.Transport)} connections={options.Connections} warmup_s={options.Warmup.TotalSeconds:0.#} " +
                $"duration_s={seconds:0.00} requests={requests} errors={after.Errors - before.Errors} rps={requests / seconds:0} " +
                $"cpu_us_per_req={(after.Cpu - before.Cpu).TotalMicroseconds / perRequest:0.00} " +
                $"alloc_bytes_per_req={(double)(after.Allocated - before.Allocated) / perRequest:0.0} " +
                $"inline_completions={Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS")} cores={Environment.ProcessorCount}");
            Console.WriteLine(line);
            if (firstError.FirstOrDefault(e => e is not null) is { } error)
            {
                Console.Error.WriteLine($"loadbench: first error: {error}");
            }

            return requests > 0 ? 0 : 1;
        }
    }

    private static async Task LoopAsync(IHttpTransport transport, int index, long[] counts, long[] errors, string?[] firstError, CancellationToken cancellationToken)
    {
        await using var connection = transport.CreateConnection();
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await connection.ExchangeAsync(cancellationToken);
            if (result.Outcome == ExchangeOutcome.Cancelled)
            {
                break;
            }

            if (result.IsSuccess)
            {
                Volatile.Write(ref counts[index * Stride], counts[index * Stride] + 1);
            }
            else
            {
                Volatile.Write(ref errors[index * Stride], errors[index * Stride] + 1);
                firstError[index] ??= $"{result.Outcome} {result.StatusCode} {result.Error}";
            }
        }
    }

    private static string Name(TransportKind kind) => kind == TransportKind.Handler ? "handler" : "lean";

    private readonly record struct Snapshot(long Timestamp, long Requests, long Errors, TimeSpan Cpu, long Allocated)
    {
        public static Snapshot Take(long[] counts, long[] errors)
        {
            long requests = 0, failed = 0;
            for (var i = 0; i < counts.Length; i += Stride)
            {
                requests += Volatile.Read(ref counts[i]);
                failed += Volatile.Read(ref errors[i]);
            }

            using var process = Process.GetCurrentProcess();
            return new Snapshot(Stopwatch.GetTimestamp(), requests + failed, failed, process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
        }
    }
}
