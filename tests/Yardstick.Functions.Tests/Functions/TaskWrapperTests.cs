using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Yardstick.Orchestration;

namespace Yardstick.Functions.Tests.Functions;

/// <summary>Every task of <see cref="TaskRegistry"/> has exactly one [Function] wrapper of the same name, and no wrapper lacks a task.</summary>
public sealed class TaskWrapperTests
{
    private static readonly List<(string Name, MethodInfo Method, ParameterInfo Trigger)> Wrappers = FindWrappers();

    [Fact]
    public void Wrappers_EveryRegistryTask_HasExactlyOneWrapperOfItsName()
    {
        foreach (var task in TaskRegistry.All)
        {
            var wrapper = Assert.Single(Wrappers, w => w.Name == task.Name);
            var expectedTrigger = task.Kind == TaskKind.Orchestrator ? typeof(OrchestrationTriggerAttribute) : typeof(ActivityTriggerAttribute);
            Assert.NotNull(wrapper.Trigger.GetCustomAttribute(expectedTrigger));
        }
    }

    [Fact]
    public void Wrappers_EveryWrapper_HasARegistryTask()
    {
        var registered = TaskRegistry.All.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(Wrappers, w => Assert.Contains(w.Name, registered));
        Assert.Equal(TaskRegistry.All.Count(), Wrappers.Count);
    }

    [Fact]
    public void Wrappers_ActivityWrappers_TakeAndReturnTheActivityTypes()
    {
        foreach (var task in TaskRegistry.Activities)
        {
            var wrapper = Wrappers.Single(w => w.Name == task.Name);
            var generic = BaseOfGeneric(task.Type, typeof(TaskActivity<,>));
            var (input, output) = (generic.GetGenericArguments()[0], generic.GetGenericArguments()[1]);

            Assert.Equal(input, wrapper.Trigger.ParameterType);
            Assert.Equal(typeof(Task<>).MakeGenericType(output), wrapper.Method.ReturnType);
        }
    }

    [Fact]
    public void Wrappers_OrchestratorWrappers_TakeTheContextAndReturnTheOrchestratorOutput()
    {
        foreach (var task in TaskRegistry.Orchestrators)
        {
            var wrapper = Wrappers.Single(w => w.Name == task.Name);
            var output = BaseOfGeneric(task.Type, typeof(TaskOrchestrator<,>)).GetGenericArguments()[1];

            Assert.Equal(typeof(TaskOrchestrationContext), wrapper.Trigger.ParameterType);
            Assert.Equal(typeof(Task<>).MakeGenericType(output), wrapper.Method.ReturnType);
        }
    }

    private static Type BaseOfGeneric(Type type, Type generic)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == generic)
            {
                return current;
            }
        }

        throw new InvalidOperationException($"{type.Name} does not derive from {generic.Name}.");
    }

    /// <summary>[Function] methods whose first parameter carries a Durable trigger attribute.</summary>
    private static List<(string, MethodInfo, ParameterInfo)> FindWrappers() =>
        typeof(Yardstick.Functions.Hosting.FunctionsServices).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Function is not null && x.Method.GetParameters().Length > 0)
            .Select(x => (x.Function!.Name, x.Method, Trigger: x.Method.GetParameters()[0]))
            .Where(x => x.Trigger.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null || x.Trigger.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
            .ToList();
}
