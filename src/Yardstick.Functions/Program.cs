using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Yardstick.Core;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration.Hosting;

// Load shards run in this worker next to the Durable client: keep the thread pool from starving them (see LoadHostTuning).
LoadHostTuning.Apply();
var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: HTTP functions take HttpRequest and return IActionResult (analyzer AZFW0014 requires it).
builder.ConfigureFunctionsWebApplication();

// One JSON shape for Durable payloads (the extension derives its data converter from this serializer) and for
// everything else the worker serializes: the same camelCase, string-enum shape as the stored documents.
builder.Services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(YardstickJson.Options));

builder.Services.AddYardstickFunctions(builder.Configuration);

builder.Build().Run();
