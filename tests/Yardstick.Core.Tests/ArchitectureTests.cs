using System.Reflection;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests;

/// <summary>
/// Core is the domain layer: it must not depend on Azure SDKs, the Durable Task framework or a plotting library
/// (rendering lives in Yardstick.Reports; ARCHITECTURE.md → Layers).
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] ForbiddenPrefixes = ["Azure.", "Microsoft.DurableTask", "Microsoft.Azure.DurableTask", "Microsoft.Azure.Functions", "DurableTask.", "ScottPlot", "SkiaSharp"];

    [Fact]
    public void CoreAssembly_References_NoAzureOrDurableTaskAssembly()
    {
        var core = typeof(Workload).Assembly;

        var referenced = ReferencedClosure(core);

        Assert.Contains(referenced, name => name.StartsWith("YamlDotNet", StringComparison.Ordinal));
        var forbidden = referenced.Where(IsForbidden).ToList();
        Assert.True(forbidden.Count == 0, "Yardstick.Core references " + string.Join(", ", forbidden));
    }

    [Theory]
    [InlineData("Azure.Core", true)]
    [InlineData("Microsoft.DurableTask.Abstractions", true)]
    [InlineData("Microsoft.Azure.DurableTask.Core", true)]
    [InlineData("ScottPlot", true)]
    [InlineData("YamlDotNet", false)]
    [InlineData("Microsoft.Extensions.Logging.Abstractions", false)]
    public void IsForbidden_Names_AreClassified(string name, bool forbidden)
    {
        Assert.Equal(forbidden, IsForbidden(name));
    }

    private static bool IsForbidden(string name) =>
        ForbiddenPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) || name == p.TrimEnd('.'));

    /// <summary>Direct references of Core plus, transitively, the references of every non-framework assembly they load.</summary>
    private static HashSet<string> ReferencedClosure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>([root]);
        while (queue.Count > 0)
        {
            foreach (var reference in queue.Dequeue().GetReferencedAssemblies())
            {
                if (reference.Name is null || !seen.Add(reference.Name) || reference.Name.StartsWith("System", StringComparison.Ordinal)
                    || reference.Name is "mscorlib" or "netstandard")
                {
                    continue;
                }

                try
                {
                    queue.Enqueue(Assembly.Load(reference));
                }
                catch (FileNotFoundException)
                {
                    // Optional dependencies of a package may be absent; their names are still checked above.
                }
            }
        }

        return seen;
    }
}
