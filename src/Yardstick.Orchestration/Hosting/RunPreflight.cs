using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// Checks a validated workload against the host before anything is stored: no literal secrets, the target on
/// the allow-list (after resolving <c>${env:}</c> in the URL), local processes only where the host can start them.
/// Both the planning activity and the hosts' front doors (CLI, HTTP API) call it, so bad input is refused early
/// and nothing is half-written.
/// </summary>
public static class RunPreflight
{
    public static void Check(Workload workload, YardstickHostOptions options)
    {
        SecretHygiene.EnsureNoLiteralSecrets(workload);
        var url = SecretReferences.Resolve(workload.Target.Url, "target.url", options.Environment);
        options.TargetPolicy.EnsureUrlAllowed(url, "target.url");
        if (workload.ColdStart.Url is { } coldStartUrl)
        {
            options.TargetPolicy.EnsureUrlAllowed(SecretReferences.Resolve(coldStartUrl, "coldStart.url", options.Environment), "coldStart.url");
        }

        if (workload.Target.Azure is { } azure)
        {
            AzureTargetGuard.EnsureNotSelf(azure.ResourceId, options);
        }

        if (workload.Target.Process is not null && !options.AllowLocalProcesses)
        {
            throw new InputException("target.process", $"local target processes run on the local host only; the {options.Host} host cannot start them.");
        }

        if (workload.Cost?.PricingFile is not null && !options.AllowPricingFiles)
        {
            throw new InputException("cost.pricingFile", $"names a file on the worker's disk, which the {options.Host} host never reads for a workload; remove it (runs are priced with the catalog the app ships, or refresh that catalog and redeploy).");
        }

        if (workload.ColdStart.Strategy is ColdStartStrategy.Restart or ColdStartStrategy.AppSetting && !options.AzureAccess)
        {
            throw new InputException(
                "coldStart.strategy",
                $"'{(workload.ColdStart.Strategy == ColdStartStrategy.Restart ? "restart" : "appSetting")}' changes the Azure function app through ARM, which needs Azure access: run with --azure (DefaultAzureCredential: az login, or AZURE_* environment variables).");
        }

        // A local process target takes appSetting sweeps as environment variables; everything else is an ARM change.
        if (workload.Sweep is not null && workload.Target.Process is null && !options.AzureAccess)
        {
            throw new InputException(
                "sweep.parameter",
                $"sweeping '{workload.Sweep.Label}' changes the Azure function app through ARM, which needs Azure access: run with --azure (DefaultAzureCredential: az login, or AZURE_* environment variables).");
        }
    }
}
