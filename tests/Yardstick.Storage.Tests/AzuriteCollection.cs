using Yardstick.Testing;

namespace Yardstick.Storage.Tests;

/// <summary>All storage tests share one Azurite (started by the fixture, never assumed to be running).</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
