using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Yardstick.Functions.Tests.TestSupport;

/// <summary>
/// The Durable client the Functions host hands to a <c>[DurableClient]</c> parameter (the extension's internal
/// <c>FunctionsDurableTaskClient</c>), built around a test client with a known system key in its query string, so a
/// test can prove that the key never reaches an HTTP answer. Its calls go to the wrapped client.
/// </summary>
internal static class FunctionsDurableClient
{
    public const string SystemKey = "durable-system-key-for-tests";

    public static DurableTaskClient Wrap(DurableTaskClient inner, string baseUrl)
    {
        var type = typeof(Microsoft.Azure.Functions.Worker.DurableTaskClientExtensions).Assembly.GetType("Microsoft.Azure.Functions.Worker.FunctionsDurableTaskClient", throwOnError: true)!;
        var constructor = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Single();
        var arguments = constructor.GetParameters().Select(p => p.ParameterType == typeof(DurableTaskClient) ? inner
            : p.ParameterType == typeof(string) && p.Name!.Contains("query", StringComparison.OrdinalIgnoreCase) ? $"taskHub=yardstick&connection=Storage&code={SystemKey}"
            : p.ParameterType == typeof(string) ? (object)(baseUrl + "/runtime/webhooks/durabletask")
            : !p.ParameterType.IsValueType ? null // optional collaborators (the large-payload purge client)
            : throw new InvalidOperationException($"FunctionsDurableTaskClient takes an unexpected {p.ParameterType.Name} {p.Name}.")).ToArray();
        var client = (DurableTaskClient)constructor.Invoke(arguments);

        // Proves the stand-in is the real thing: with it, the extension makes management URLs that carry the key.
        var payload = client.CreateHttpManagementPayload("probe");
        if (!System.Text.Json.JsonSerializer.Serialize(payload).Contains(SystemKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The Functions Durable client did not put the system key in its management URLs.");
        }

        return client;
    }
}
