using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>Shared paths and environment for workload tests.</summary>
internal static class TestWorkloads
{
    public const string FunctionKey = "fk-test-secret-value-1234";

    /// <summary>The repository root (the folder holding Functions.sln), found from the test output folder.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ExamplesDirectory => Path.Combine(RepoRoot, "workloads");

    public static string BadDirectory => Path.Combine(AppContext.BaseDirectory, "Workloads", "Bad");

    /// <summary>The environment the tests run with: FUNCTION_KEY and YARDSTICK_SECRET_FUNCTION_KEY are set, nothing else is.</summary>
    public static string? Environment(string name) => name is "FUNCTION_KEY" or "YARDSTICK_SECRET_FUNCTION_KEY" ? FunctionKey : null;

    public static Workload LoadExample(string fileName, params string[] overrides) =>
        WorkloadLoader.LoadFile(Path.Combine(ExamplesDirectory, fileName), overrides, Environment);

    public static WorkloadValidationException Invalid(string text, params string[] overrides) =>
        Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadText(text, "test.yaml", overrides, Environment));

    /// <summary>A minimal valid workload to start from.</summary>
    public const string Minimal = """
        name: minimal
        target:
          url: http://127.0.0.1:5080/api/hello
        load:
          rate: 10/s
          duration: 5s
        """;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
