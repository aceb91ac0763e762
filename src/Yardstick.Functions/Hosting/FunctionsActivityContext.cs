using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Yardstick.Functions.Hosting;

/// <summary>
/// The <see cref="TaskActivityContext"/> a shared activity class expects, built from the Functions invocation: the
/// isolated worker binds only the activity's input, so the wrapper supplies the name and the orchestration's
/// instance id (the Durable extension puts it in the trigger's binding data as <c>instanceId</c>).
/// </summary>
public sealed class FunctionsActivityContext : TaskActivityContext
{
    /// <summary>Binding-data key under which the Durable extension passes the orchestration instance id.</summary>
    public const string InstanceIdKey = "instanceId";

    public FunctionsActivityContext(TaskName name, string instanceId)
    {
        Name = name;
        InstanceId = instanceId;
    }

    public override TaskName Name { get; }

    public override string InstanceId { get; }

    /// <summary>The context of the activity <paramref name="name"/> running in <paramref name="executionContext"/>.</summary>
    /// <exception cref="InvalidOperationException">The invocation carries no instance id (not an activity trigger).</exception>
    public static FunctionsActivityContext From(string name, FunctionContext executionContext)
    {
        var data = executionContext.BindingContext.BindingData;
        if (!data.TryGetValue(InstanceIdKey, out var value) || value is not string { Length: > 0 } instanceId)
        {
            throw new InvalidOperationException($"Activity {name}: the invocation has no '{InstanceIdKey}' binding data; is it an activity trigger?");
        }

        return new FunctionsActivityContext(name, instanceId);
    }
}
