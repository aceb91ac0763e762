using System.Text.Json;
using System.Text.Json.Serialization;
using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;

namespace Yardstick.Cli.Hosting;

/// <summary>
/// One System.Text.Json shape for every payload of the local task hub: the client (DurableTask.Core, which would
/// otherwise use Newtonsoft) and the shims around our Microsoft.DurableTask classes must agree byte for byte.
/// </summary>
internal static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static Microsoft.DurableTask.Converters.JsonDataConverter ShimConverter { get; } = new(Options);

    public static CoreDataConverter ClientConverter { get; } = new SystemTextJsonCoreConverter();

    public static T? Deserialize<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class SystemTextJsonCoreConverter : CoreDataConverter
    {
        public override string Serialize(object value) => JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), Options);

        public override string Serialize(object value, bool formatted) => Serialize(value);

        public override object Deserialize(string data, Type objectType) => JsonSerializer.Deserialize(data, objectType, Options)!;
    }
}
