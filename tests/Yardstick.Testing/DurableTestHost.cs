using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace Yardstick.Testing;

/// <summary>
/// Starts Microsoft.DurableTask.InProcessTestHost's <see cref="DurableTaskTestHost"/> on a port that is really free.
/// Left to itself the host picks a random port between 30000 and 40000 — mostly inside the kernel's ephemeral range,
/// where it collides with the outgoing connections of test assemblies running in parallel ("Failed to bind to address
/// http://127.0.0.1:NNNNN: address already in use"). Every test that needs the in-memory Durable backend starts it here.
/// </summary>
public static class DurableTestHost
{
    private const int Attempts = 5;

    /// <summary>
    /// <see cref="DurableTaskTestHost.StartAsync"/> on a <see cref="TestPorts.Reserve"/>d port; should the port be taken
    /// anyway (a process not using <see cref="TestPorts"/> bound it in between), it starts again on another, up to
    /// five times. Any other failure is thrown as is.
    /// </summary>
    public static async Task<DurableTaskTestHost> StartAsync(
        Action<DurableTaskRegistry> configure, DurableTaskTestHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        for (var attempt = 1; ; attempt++)
        {
            var attemptOptions = new DurableTaskTestHostOptions
            {
                Port = TestPorts.Reserve(),
                LoggerFactory = options?.LoggerFactory,
                ConfigureServices = options?.ConfigureServices,
            };
            try
            {
                return await DurableTaskTestHost.StartAsync(configure, attemptOptions, cancellationToken);
            }
            catch (Exception e) when (attempt < Attempts && TestPorts.IsAddressInUse(e))
            {
                // Taken between the check and the bind: try another port.
            }
        }
    }
}
