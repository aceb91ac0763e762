namespace Yardstick.Cli.Console;

/// <summary>
/// A line diff of two small texts (workload files) in unified style: <c>-</c> removed, <c>+</c> added, and up to
/// <see cref="Context"/> unchanged lines around each change. Longest common subsequence by dynamic programming, so it
/// refuses texts whose line counts multiply past <see cref="MaxCells"/> (then only says they differ).
/// </summary>
internal static class LineDiff
{
    public const int Context = 3;

    /// <summary>Largest table (lines × lines) computed: 4 M cells, 16 MB.</summary>
    public const long MaxCells = 4_000_000;

    /// <summary>The diff lines, empty when the texts have the same lines; null when they are too long to diff.</summary>
    public static IReadOnlyList<string>? Unified(string from, string to)
    {
        var a = Lines(from);
        var b = Lines(to);
        if ((long)(a.Length + 1) * (b.Length + 1) > MaxCells)
        {
            return null;
        }

        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char Op, string Line)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                ops.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                ops.Add(('+', b[y++]));
            }
            else
            {
                ops.Add(('-', a[x++]));
            }
        }

        if (ops.All(o => o.Op == ' '))
        {
            return [];
        }

        var shown = new bool[ops.Count];
        for (var k = 0; k < ops.Count; k++)
        {
            if (ops[k].Op != ' ')
            {
                for (var c = Math.Max(0, k - Context); c <= Math.Min(ops.Count - 1, k + Context); c++)
                {
                    shown[c] = true;
                }
            }
        }

        var result = new List<string>();
        for (var k = 0; k < ops.Count; k++)
        {
            if (!shown[k])
            {
                if (k > 0 && shown[k - 1])
                {
                    result.Add("…");
                }

                continue;
            }

            result.Add($"{ops[k].Op} {ops[k].Line}");
        }

        return result;
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
