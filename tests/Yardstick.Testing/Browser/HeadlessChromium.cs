using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Yardstick.Testing.Browser;

/// <summary>
/// A headless Chromium process with a throw-away profile, its DevTools endpoint read from stderr. Disposing kills the
/// process tree and deletes the profile.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly StringBuilder _stderr;

    private HeadlessChromium(Process process, DirectoryInfo profile, StringBuilder stderr, Uri devToolsUrl)
    {
        _process = process;
        _profile = profile;
        _stderr = stderr;
        DevToolsUrl = devToolsUrl;
    }

    /// <summary>The browser-level DevTools WebSocket (<c>ws://127.0.0.1:port/devtools/browser/…</c>).</summary>
    public Uri DevToolsUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>What Chromium wrote to stderr so far (for failure messages).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary><c>YARDSTICK_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c> or a usual alternative; null when none exists.</summary>
    public static string? FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("YARDSTICK_CHROMIUM");
        string[] candidates = [configured ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        return candidates.FirstOrDefault(c => c.Length > 0 && File.Exists(c));
    }

    public static async Task<HeadlessChromium> LaunchAsync(string executable, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("yardstick-chromium-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--disable-extensions", "--mute-audio", "--hide-scrollbars",
            "--user-data-dir=" + profile.FullName, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var stderr = new StringBuilder();
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                if (stderr.Length < 64 * 1024)
                {
                    stderr.AppendLine(e.Data);
                }
            }

            if (DevToolsLine().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => endpoint.TrySetException(new InvalidOperationException($"Chromium exited (code {process.ExitCode}) before DevTools listened."));

        try
        {
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var url = await endpoint.Task.WaitAsync(cancellationToken);
            return new HeadlessChromium(process, profile, stderr, url);
        }
        catch
        {
            await StopAsync(process, profile);
            throw new InvalidOperationException("Chromium did not start: " + stderr);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(_process, _profile);

    private static async Task StopAsync(Process process, DirectoryInfo profile)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Not started, already gone, or stuck: the profile is still removed below.
        }
        finally
        {
            process.Dispose();
        }

        // Chromium's helpers may still close files for a moment after the kill.
        for (var attempt = 0; attempt < 10 && Directory.Exists(profile.FullName); attempt++)
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
