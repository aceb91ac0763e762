using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>
/// Collects every problem found while loading one workload and turns them into positioned <see cref="WorkloadError"/>s.
/// Structural problems (syntax, unknown fields, schema, unreadable values) come first; a semantic problem on the same
/// branch of the tree as a structural one is dropped, because it would only restate the first problem in other words.
/// </summary>
internal sealed class ErrorSink(string source, DocNode root)
{
    private readonly List<Entry> _entries = [];

    public bool HasErrors => _entries.Count > 0;

    public bool HasStructuralErrors => _entries.Exists(e => e.Structural);

    /// <summary>A problem with the shape or type of a value (schema, parse, unknown field, override syntax).</summary>
    public void Structural(DocPath path, string message, DocMark? mark = null, string? origin = null) =>
        Add(new Entry(path, message, mark, origin, Structural: true));

    /// <summary>A problem with a well-formed value (caps, cross-field rules, references).</summary>
    public void Semantic(DocPath path, string message)
    {
        if (_entries.Exists(e => e.Structural && (e.Path.IsRoot ? path.IsRoot : e.Path.IsRelatedTo(path))))
        {
            return;
        }

        Add(new Entry(path, message, null, null, Structural: false));
    }

    /// <summary>True when a structural problem was already reported at exactly this path.</summary>
    public bool HasStructuralAt(DocPath path) => _entries.Exists(e => e.Structural && e.Path.Equals(path));

    public WorkloadValidationException ToException() => new(source, Build());

    public IReadOnlyList<WorkloadError> Build()
    {
        var errors = new List<WorkloadError>(_entries.Count);
        foreach (var entry in _entries)
        {
            var (mark, origin) = entry.Mark is not null || entry.Origin is not null ? (entry.Mark, entry.Origin) : Locate(entry.Path);
            errors.Add(new WorkloadError(origin ?? source, entry.Path.ToString(), mark?.Line, mark?.Column, entry.Message));
        }

        // File order: positioned errors by line/column, then errors without a position (overrides) in the order found.
        return errors
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.Line ?? int.MaxValue)
            .ThenBy(x => x.e.Column ?? 0)
            .ThenBy(x => x.i)
            .Select(x => x.e)
            .ToList();
    }

    /// <summary>The position of the deepest node on the path that exists, or the override that created it.</summary>
    private (DocMark? Mark, string? Origin) Locate(DocPath path)
    {
        var node = root;
        foreach (var segment in path.Segments)
        {
            if (node.Origin is not null)
            {
                return (null, node.Origin);
            }

            DocNode? next = segment switch
            {
                string key when node is DocMap map => map.Get(key),
                int index when node is DocSeq seq && index < seq.Items.Count => seq.Items[index],
                _ => null,
            };
            if (next is null)
            {
                break;
            }

            node = next;
        }

        return node.Origin is not null ? (null, node.Origin) : (node.Mark, null);
    }

    private void Add(Entry entry)
    {
        if (!_entries.Exists(e => e.Path.Equals(entry.Path) && e.Message == entry.Message))
        {
            _entries.Add(entry);
        }
    }

    private sealed record Entry(DocPath Path, string Message, DocMark? Mark, string? Origin, bool Structural);
}
