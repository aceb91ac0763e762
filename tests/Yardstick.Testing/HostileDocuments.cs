namespace Yardstick.Testing;

/// <summary>Documents built to hurt a parser, shared by the tests of every front door that reads workloads.</summary>
public static class HostileDocuments
{
    /// <summary>
    /// "Billion laughs" in YAML: nine levels of anchors, each a list of nine aliases of the level below, under 1 KB of
    /// text. Walking it node by node visits 9⁹ ≈ 387 million leaves, which is what a naive tree conversion does.
    /// </summary>
    public static string BillionLaughs(string name = "laughs")
    {
        var lines = new List<string> { $"name: {name}", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]" };
        for (var level = 'b'; level <= 'i'; level++)
        {
            var below = (char)(level - 1);
            lines.Add($"{level}: &{level} [{string.Join(',', Enumerable.Repeat("*" + below, 9))}]");
        }

        lines.Add("target:\n  url: http://127.0.0.1:5080/api/hello\nload:\n  rate: 10/s\n  duration: 5s");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>A workload whose <c>tags</c> hold lists nested <paramref name="depth"/> levels deep.</summary>
    public static string DeeplyNested(int depth, string name = "deep") =>
        $"name: {name}\ntarget:\n  url: http://127.0.0.1:5080/api/hello\nload:\n  rate: 10/s\n  duration: 5s\ntags:\n  deep: {new string('[', depth)}1{new string(']', depth)}\n";
}
