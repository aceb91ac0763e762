using Yardstick.Core.Load.Requests;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>The replay model (<c>load.model: replay</c>): the trace, speed and window, and what makes no sense with them.</summary>
internal sealed partial class WorkloadSemantics
{
    /// <summary>Load fields that set arrivals some other way: the trace sets them.</summary>
    private static readonly string[] NotForReplay = ["rate", "startRate", "stages", "arrivals", "concurrency", "thinkTime", "duration", "warmup"];

    private void CheckReplayFieldsOutsideReplay(MapReader doc)
    {
        foreach (var key in (string[])["trace", "speed", "window"])
        {
            if (doc.Has(key))
            {
                Error(LoadPath.Key(key), "applies to the replay model; set load.model: replay, or remove it.");
            }
        }
    }

    private void CheckReplay(MapReader doc)
    {
        var l = _w.Load;
        foreach (var key in NotForReplay)
        {
            if (doc.Has(key))
            {
                Error(LoadPath.Key(key), key switch
                {
                    "duration" => "a replay lasts the trace's (windowed) span ÷ speed; remove duration (slice the trace with load.window).",
                    "warmup" => "a replay has no warm-up phase; replay an earlier window of the trace as its own run, or remove warmup.",
                    _ => "the trace sets every arrival of a replay; remove it (the replay model takes trace, speed and window).",
                });
            }
        }

        foreach (var (key, why) in (IEnumerable<(string, string)>)[("requests", "the trace's lines are the requests of a replay"), ("steps", "a replay sends the trace's requests in its order")])
        {
            if (_doc.Has(key))
            {
                Error(DocPath.Root.Key(key), $"{why}; remove {key} (or use load.model: open).");
            }
        }

        var target = _doc.Map("target");
        foreach (var key in (string[])["method", "body"])
        {
            if (target.Has(key))
            {
                Error(Target.Key(key), $"a replay sends each arrival's recorded {key}; remove target.{key} (target.url gives the scheme, host and port; its headers go on every request).");
            }
        }

        // A replay's dataset fills the trace's lines only: target.url's path is not sent, and its headers are the same on every request.
        if (TemplateText.HasHoles(_w.Target.Url))
        {
            Error(Target.Key("url"), "a replay sends each arrival's recorded path (target.url gives only the scheme, host and port); write ${data.column} holes in the trace's paths and bodies instead.");
        }

        foreach (var (name, value) in _w.Target.Headers)
        {
            if (TemplateText.HasHoles(value))
            {
                Error(Target.Key("headers").Key(name), "a replay's dataset fills the trace's paths and bodies only; write ${data.column} holes in the trace instead.");
            }
        }

        if (TraceDescription.SpeedError(l.Speed) is { } speedError)
        {
            Error(LoadPath.Key("speed"), speedError);
        }

        if (l.Window is { } window)
        {
            if (window.From < TimeSpan.Zero)
            {
                Error(LoadPath.Key("window").Key("from"), "must not be negative.");
            }

            if (window.Duration is { } d && d <= TimeSpan.Zero)
            {
                Error(LoadPath.Key("window").Key("duration"), "must be positive.");
            }
        }

        CheckCounts();
        if (l.Timeout <= TimeSpan.Zero)
        {
            Error(LoadPath.Key("timeout"), "must be positive.");
        }
        else if (l.Timeout > Load.Safety.LoadCaps.MaxRequestTimeout)
        {
            Error(LoadPath.Key("timeout"), $"{Load.DurationText.Format(l.Timeout)} is above the cap of {Load.DurationText.Format(Load.Safety.LoadCaps.MaxRequestTimeout)}.");
        }

        CheckTrace();
    }

    private void CheckTrace()
    {
        var tracePath = LoadPath.Key("trace");
        if (_w.Load.Trace is not { } trace)
        {
            Error(tracePath, "the replay model needs a trace: a .jsonl file next to the workload file, or { blob: traces/<name>.jsonl }.");
            return;
        }

        if ((trace.File is null) == (trace.Blob is null))
        {
            Error(tracePath, "give exactly one of file (a .jsonl next to the workload file) and blob (traces/<name>.jsonl in the results storage account).");
            return;
        }

        if (trace.Blob is { } blob)
        {
            // A blob is read when the run is planned (the host describes it then).
            if (TraceFiles.BlobShapeError(blob) is { } blobShape)
            {
                Error(_doc.Map("load").Node("trace") is DocMap ? tracePath.Key("blob") : tracePath, blobShape);
            }

            return;
        }

        var filePath = _doc.Map("load").Node("trace") is DocMap ? tracePath.Key("file") : tracePath;
        if (TraceFiles.FileShapeError(trace.File!) is { } shape)
        {
            Error(filePath, shape);
            return;
        }

        // Text loaded without a folder (the API, the planning activity) cannot look at the disk; planning reads it.
        if (_w.SourceDirectory is null || _sink.HasErrors)
        {
            return;
        }

        // The whole file is read once (streaming): every line's format, and the caps on what replaying it would send.
        try
        {
            var summary = TraceFiles.DescribeFile(_w.SourceDirectory, _w.Load);
            var variants = _w.Sweep?.Dimensions.Aggregate(1L, (product, d) => product * Math.Max(1, d.Values.Count)) ?? 1;
            TraceDescription.CheckCaps(summary, _w.Compare.Repeat, variants);

            // Every ${data.column} the replayed lines name needs a dataset with that column (a blob's header is read when the run is planned).
            ReplayData.CheckHoles(summary, _w.Data, _dataColumns);
        }
        catch (InputException e)
        {
            Error(e.Field == TraceReader.Field ? filePath : DocPath.Root.Key("load").Key(e.Field["load.".Length..]), e.Message);
        }
    }
}
