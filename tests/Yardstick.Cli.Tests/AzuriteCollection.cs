using Yardstick.Testing;

namespace Yardstick.Cli.Tests;

[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

/// <summary>
/// The host-failure tests (each kills an Azurite of its own): a collection of their own so they run beside the
/// <see cref="AzuriteCollection"/> tests instead of after them; same shared emulator.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostFailureCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (host failures)";
}
