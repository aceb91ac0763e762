namespace Yardstick.Functions.Tests.Infra;

/// <summary>Locates files of the repository from a test's output folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the nearest ancestor of the test binaries holding Functions.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Absolute path of a repository-relative path ('/'-separated).</summary>
    public static string Of(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Reads a repository file as text.</summary>
    public static string ReadText(string relativePath) => File.ReadAllText(Of(relativePath));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}.");
    }
}
