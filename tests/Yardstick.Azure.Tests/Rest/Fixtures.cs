using System.Text.Json.Nodes;

namespace Yardstick.Azure.Tests.Rest;

/// <summary>Recorded REST spec examples copied into Fixtures/ (see Fixtures/README.md).</summary>
internal static class Fixtures
{
    public static JsonObject Load(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath)))!.AsObject();

    /// <summary><c>responses["status"].body</c> of a spec example.</summary>
    public static JsonNode ResponseBody(string relativePath, string status = "200") =>
        Load(relativePath)["responses"]![status]!["body"]!.DeepClone();

    public static string ResponseBodyText(string relativePath, string status = "200") => ResponseBody(relativePath, status).ToJsonString();

    /// <summary>The repository root (where Functions.sln is), for the checked-in pricing catalog.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
