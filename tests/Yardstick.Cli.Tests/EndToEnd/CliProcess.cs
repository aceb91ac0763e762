using System.Diagnostics;
using System.Text;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// The real <c>yardstick</c> executable as a child process (built next to the tests), for what an in-process run
/// cannot show: a CLI killed mid-run, and several worker processes sharing one task hub.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data is not null)
            {
                lock (_output)
                {
                    _error.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>What the process wrote to stderr alone (<see cref="Output"/> interleaves both streams).</summary>
    public string Error
    {
        get
        {
            lock (_output)
            {
                return _error.ToString();
            }
        }
    }

    public static CliProcess Start(params string[] args) => StartWith(new Dictionary<string, string>(), args);

    /// <summary>Starts <c>yardstick args…</c> with extra environment variables.</summary>
    public static CliProcess StartWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yardstick.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException("yardstick did not start"));
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful stop — what a crash or an OOM kill looks like.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
