using System.Runtime.InteropServices;

namespace Yardstick.Storage.Local;

/// <summary>POSIX signals for stopping child processes gracefully (.NET's <c>Process.Kill</c> only sends SIGKILL).</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; true when it was delivered.</summary>
    public static bool Terminate(int processId) => !OperatingSystem.IsWindows() && Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
