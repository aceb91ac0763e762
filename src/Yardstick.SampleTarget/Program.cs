using Yardstick.SampleTarget;

SampleTargetOptions options;
try
{
    // YARDSTICK_EXTRA_LATENCY_MS sets the extra latency when --extra-latency-ms is not given (local settings sweeps).
    options = SampleTargetOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"sample-target: {e.Message}");
    return 2;
}

// The init delay runs before anything listens, as in a function host starting up.
await using var host = await SampleTargetHost.StartAsync(options);
Console.WriteLine($"sample-target listening on {string.Join(";", host.Addresses)} instance={host.InstanceId}");

// Ctrl+C and SIGTERM stop the host (console lifetime).
await host.WaitForShutdownAsync();

return 0;
