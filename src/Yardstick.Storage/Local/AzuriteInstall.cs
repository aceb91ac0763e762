using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Yardstick.Storage.Local;

/// <summary>
/// Finds the repository's <c>tools/azurite</c> folder and installs the pinned Azurite there with <c>npm ci</c> when it is
/// missing or another version is installed. Installs are serialized across processes by a lock file.
/// </summary>
public static class AzuriteInstall
{
    /// <summary>Environment variable naming the <c>tools/azurite</c> folder explicitly.</summary>
    public const string DirectoryVariable = "YARDSTICK_AZURITE_DIR";

    /// <summary>Oldest Node.js major version Yardstick is tested with.</summary>
    public const int MinimumNodeMajor = 20;

    private static readonly string NodeHint =
        $"Install Node.js {MinimumNodeMajor} or later (it includes npm), or set {StorageConnection.SettingName} to an existing storage account or Azurite.";

    /// <summary>
    /// The <c>tools/azurite</c> folder: <paramref name="explicitPath"/>, else <c>YARDSTICK_AZURITE_DIR</c>, else the first
    /// <c>tools/azurite/package.json</c> found walking up from the current directory and from <see cref="AppContext.BaseDirectory"/>.
    /// </summary>
    public static string FindDirectory(string? explicitPath = null)
    {
        var given = explicitPath ?? Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            var full = Path.GetFullPath(given);
            return File.Exists(Path.Combine(full, "package.json"))
                ? full
                : throw new AzuriteLaunchException($"'{full}' (from {(explicitPath is null ? DirectoryVariable : "the Azurite directory option")}) has no package.json; point it at the repository's tools/azurite folder.");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "azurite");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        throw new AzuriteLaunchException(
            $"Could not find tools/azurite/package.json above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'. "
            + $"Run from inside the Yardstick repository, set {DirectoryVariable}, or set {StorageConnection.SettingName} to an existing storage account or Azurite.");
    }

    /// <summary>Path of the <c>azurite</c> launcher script that npm links into <c>node_modules/.bin</c>.</summary>
    public static string BinPath(string azuriteDirectory) =>
        Path.Combine(azuriteDirectory, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");

    /// <summary>True when the version pinned in package.json is the one installed under node_modules.</summary>
    public static bool IsInstalled(string azuriteDirectory)
    {
        if (!File.Exists(BinPath(azuriteDirectory)))
        {
            return false;
        }

        var installed = Path.Combine(azuriteDirectory, "node_modules", "azurite", "package.json");
        return File.Exists(installed) && ReadVersion(installed, "version") == ReadVersion(Path.Combine(azuriteDirectory, "package.json"), "dependencies");
    }

    /// <summary>Runs <c>npm ci --no-audit --no-fund</c> in <paramref name="azuriteDirectory"/> unless the pinned Azurite is installed.</summary>
    /// <param name="azuriteDirectory">The <c>tools/azurite</c> folder.</param>
    /// <param name="logPath">File that receives npm's output.</param>
    /// <param name="timeout">Limit for the install.</param>
    /// <param name="logger">Progress messages.</param>
    /// <param name="cancellationToken">Cancels waiting (and kills npm).</param>
    public static async Task EnsureInstalledAsync(string azuriteDirectory, string logPath, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        CheckNode();
        if (IsInstalled(azuriteDirectory))
        {
            return;
        }

        // Several test projects may start at once: one installs, the others wait and then find it installed.
        var lockPath = Path.Combine(Path.GetTempPath(), "yardstick-azurite-install-" + StableHash(azuriteDirectory) + ".lock");
        using var gate = await FileLock.AcquireAsync(lockPath, timeout, cancellationToken);
        if (IsInstalled(azuriteDirectory))
        {
            return;
        }

        var npm = FindOnPath(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
            ?? throw new AzuriteLaunchException($"npm was not found on PATH; it is needed once to install Azurite into {azuriteDirectory}. {NodeHint}");

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        Log.InstallingAzurite(logger, azuriteDirectory, logPath);
        var started = Stopwatch.GetTimestamp();
        var info = new ProcessStartInfo(npm)
        {
            WorkingDirectory = azuriteDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new AzuriteLaunchException("npm could not be started.");
        await using (var log = new StreamWriter(logPath, append: false))
        {
            var output = PumpAsync(process.StandardOutput, log);
            var errors = PumpAsync(process.StandardError, log);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
                await Task.WhenAll(output, errors);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new AzuriteLaunchException($"npm ci did not finish within {timeout.TotalSeconds:F0} s in {azuriteDirectory}; see {logPath}.");
            }
        }

        if (process.ExitCode != 0 || !IsInstalled(azuriteDirectory))
        {
            throw new AzuriteLaunchException($"npm ci failed with exit code {process.ExitCode} in {azuriteDirectory}; see {logPath}.");
        }

        Log.AzuriteInstalled(logger, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Throws a clear error unless Node.js (<see cref="MinimumNodeMajor"/> or later) is on PATH.</summary>
    /// <param name="searchPath">Directories to search instead of the <c>PATH</c> environment variable.</param>
    public static void CheckNode(string? searchPath = null)
    {
        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node", searchPath)
            ?? throw new AzuriteLaunchException($"Node.js was not found on PATH; the local storage emulator (Azurite) runs on it. {NodeHint}");
        var version = NodeVersion(node);
        if (version is { } major && major < MinimumNodeMajor)
        {
            throw new AzuriteLaunchException($"Node.js {major} is too old for Azurite ({node}). {NodeHint}");
        }
    }

    /// <summary>The full path of an executable on PATH (or on <paramref name="searchPath"/>), or null.</summary>
    public static string? FindOnPath(string fileName, string? searchPath = null)
    {
        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int? NodeVersion(string node)
    {
        try
        {
            var info = new ProcessStartInfo(node, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var text = process.StandardOutput.ReadToEnd().Trim().TrimStart('v');
            process.WaitForExit(10_000);
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && int.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task PumpAsync(StreamReader reader, StreamWriter log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static string? ReadVersion(string packageJson, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(packageJson));
            var element = document.RootElement.GetProperty(property);
            return property == "dependencies" ? element.GetProperty("azurite").GetString() : element.GetString();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    internal static string StableHash(string text)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(text)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }
}
