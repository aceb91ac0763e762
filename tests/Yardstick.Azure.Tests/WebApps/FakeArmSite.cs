using System.Text.Json.Nodes;
using Yardstick.Azure.Tests.Rest;

namespace Yardstick.Azure.Tests.WebApps;

/// <summary>
/// A stateful fake of one site's ARM surface, seeded from the spec examples: GET/PUT/PATCH of the site (PATCH merges
/// objects and replaces arrays), list/update of app settings (PUT replaces the whole set, as the real API does),
/// restart. Other paths answer 404. The loopback server records every request body for the tests to inspect.
/// </summary>
internal sealed class FakeArmSite
{
    public const string SiteId = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141";

    private readonly object _gate = new();

    public FakeArmSite(JsonObject site, JsonObject appSettings)
    {
        Site = site;
        AppSettings = appSettings;
    }

    public JsonObject Site { get; private set; }

    /// <summary>The <c>properties</c> dictionary of the app settings.</summary>
    public JsonObject AppSettings { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>Optional override for a request (return null to fall through to the normal behaviour).</summary>
    public Func<RecordedRequest, FakeResponse?>? Intercept { get; set; }

    public static FakeArmSite FromFixtures(string siteFixture = "app-service/CreateOrUpdateFunctionAppFlexConsumption.json")
    {
        var settings = Fixtures.ResponseBody("app-service/ListAppSettings.json")["properties"]!.AsObject();
        return new FakeArmSite(Fixtures.ResponseBody(siteFixture).AsObject(), (JsonObject)settings.DeepClone());
    }

    public FakeResponse Handle(RecordedRequest request)
    {
        if (Intercept?.Invoke(request) is { } intercepted)
        {
            return intercepted;
        }

        lock (_gate)
        {
            return (request.Method, request.Path) switch
            {
                ("GET", SiteId) => FakeResponse.Json(Site.ToJsonString()),
                ("PUT", SiteId) => PutSite(request),
                ("PATCH", SiteId) => PatchSite(request),
                ("POST", SiteId + "/config/appsettings/list") => FakeResponse.Json(AppSettingsEnvelope().ToJsonString()),
                ("PUT", SiteId + "/config/appsettings") => PutAppSettings(request),
                ("POST", SiteId + "/restart") => Restart(),
                _ => new FakeResponse(404, """{"error":{"code":"ResourceNotFound","message":"not found"}}"""),
            };
        }
    }

    private FakeResponse PutSite(RecordedRequest request)
    {
        Site = JsonNode.Parse(request.Body)!.AsObject();
        return FakeResponse.Json(Site.ToJsonString());
    }

    private FakeResponse PatchSite(RecordedRequest request)
    {
        Merge(Site, JsonNode.Parse(request.Body)!.AsObject());
        return FakeResponse.Json(Site.ToJsonString());
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is JsonObject child && target[name] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private FakeResponse PutAppSettings(RecordedRequest request)
    {
        AppSettings = JsonNode.Parse(request.Body)!["properties"]!.AsObject().DeepClone().AsObject();
        return FakeResponse.Json(AppSettingsEnvelope().ToJsonString());
    }

    private FakeResponse Restart()
    {
        Restarts++;
        return new FakeResponse(200);
    }

    /// <summary>The ListAppSettings.json response with the current settings.</summary>
    private JsonObject AppSettingsEnvelope()
    {
        var envelope = Fixtures.ResponseBody("app-service/ListAppSettings.json").AsObject();
        envelope["properties"] = AppSettings.DeepClone();
        return envelope;
    }
}
