using Yardstick.Core.Schedules;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal sealed partial class WorkloadSemantics
{
    /// <summary><c>schedule</c>: a keyword or an NCRONTAB expression that fires, at most every 15 minutes.</summary>
    private void CheckSchedule()
    {
        if (_w.Schedule is { } text && !WorkloadSchedule.TryParse(text, nightlyExpression: null, out _, out var error))
        {
            Error(DocPath.Root.Key("schedule"), error!);
        }
    }
}
