// Inline socket completions: the load engine's continuations run on the epoll thread (saves 4.5-10 µs per
// request). The runtime reads this once, at the first socket use, so it must be set before anything else.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

// A pooled buffer for every HTTP/2 stream in flight (read at the first use of the shared array pool).
Yardstick.Core.Load.Transports.LoadProcessEnvironment.KeepHttp2Buffers();

var console = Spectre.Console.AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Redirected output (CI logs, pipes) has no terminal width; keep lines and tables on one line each.
    console.Profile.Width = 140;
}

return await Yardstick.Cli.Commands.YardstickCli.RunAsync(args, console, Console.Error);
