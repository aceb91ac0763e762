using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.TestSupport;

/// <summary>Storage-backed orchestration tests share one Azurite (started by the fixture, never assumed to be running).</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
