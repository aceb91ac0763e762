using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// The cost of a run on one hosting plan: line items as on an Azure bill, the total, cost per request and per
/// 1M requests, and notes (unconfirmed prices, default prices, modelling assumptions). <see cref="Source"/> is
/// <see cref="ModeledSource"/> (billing rules over the measurements) or <see cref="MeteredSource"/> (Azure
/// Monitor's own meters), so a report can show both side by side.
/// </summary>
public sealed record CostEstimate
{
    public const string ModeledSource = "modeled";
    public const string MeteredSource = "metered";

    /// <summary><c>modeled</c> or <c>metered</c>.</summary>
    public required string Source { get; init; }

    public required HostingPlan Plan { get; init; }

    public required string Region { get; init; }

    public IReadOnlyList<CostLineItem> LineItems { get; init; } = [];

    public double TotalUsd { get; init; }

    /// <summary>The requests the cost is spread over (executions that reached the app).</summary>
    public long Requests { get; init; }

    /// <summary>Null when there were no requests.</summary>
    public double? CostPerRequestUsd { get; init; }

    public double? Per1MRequestsUsd { get; init; }

    /// <summary>Confidence interval of <see cref="CostPerRequestUsd"/>, when per-window samples were available.</summary>
    public CostPerRequestInterval? PerRequestInterval { get; init; }

    /// <summary>Free grants were subtracted (off by default: the marginal cost of the run).</summary>
    public bool FreeGrantIncluded { get; init; }

    /// <summary>Start of the metered window (metered estimates only).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the metered window (metered estimates only).</summary>
    public DateTimeOffset? To { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Some line item rests on an unconfirmed or default price (written to JSON, ignored when read back).</summary>
    public bool Unconfirmed => LineItems.Any(l => l.Unconfirmed);

    /// <summary>Builds the estimate from priced line items: total, per request and per 1M requests.</summary>
    public static CostEstimate FromLineItems(
        string source,
        HostingPlan plan,
        string region,
        IReadOnlyList<CostLineItem> lineItems,
        long requests,
        bool freeGrantIncluded,
        IEnumerable<string> notes)
    {
        var total = lineItems.Sum(l => l.Usd);
        double? perRequest = requests > 0 ? total / requests : null;
        return new CostEstimate
        {
            Source = source,
            Plan = plan,
            Region = region,
            LineItems = lineItems,
            TotalUsd = total,
            Requests = requests,
            CostPerRequestUsd = perRequest,
            Per1MRequestsUsd = perRequest * 1_000_000,
            FreeGrantIncluded = freeGrantIncluded,
            Notes = notes.Distinct().ToList(),
        };
    }
}

/// <summary>One meter of the bill: quantity in the catalog's unit × unit price = USD.</summary>
public sealed record CostLineItem
{
    /// <summary>A <see cref="PricingMeters"/> key.</summary>
    public required string Meter { get; init; }

    /// <summary>Billable quantity in <see cref="Unit"/> (after any free grant).</summary>
    public double Quantity { get; init; }

    /// <summary>A <see cref="PricingUnits"/> unit, for example <c>GB-s</c> or <c>10 executions</c>.</summary>
    public required string Unit { get; init; }

    public double UnitPriceUsd { get; init; }

    public double Usd { get; init; }

    /// <summary>The price is unconfirmed, or a region-agnostic default stood in for the region's price.</summary>
    public bool Unconfirmed { get; init; }

    /// <summary>Quantity (in <see cref="Unit"/>) removed by the free grant; 0 when grants are off.</summary>
    public double FreeGrantQuantity { get; init; }
}

/// <summary>A confidence interval for cost per request, with how it was computed.</summary>
public sealed record CostPerRequestInterval
{
    public double PointUsd { get; init; }

    public double LowerUsd { get; init; }

    public double UpperUsd { get; init; }

    /// <summary>For example 0.95.</summary>
    public double Confidence { get; init; }

    /// <summary>For example "moving-block bootstrap over 1 s windows (block 4, 2000 resamples, seed 1)".</summary>
    public required string Method { get; init; }
}
