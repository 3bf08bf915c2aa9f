using Shanzhi.Privacy.Classification;

namespace Shanzhi.Cases;

public enum UnitKind
{
    CommandCentre = 1,
    Department = 2,
    Street = 3,
    Community = 4,
    Operator = 5,
    DistrictGovernment = 6,
}

/// <summary>An organisation that receives or supervises cases: a department, a street office, an operator.</summary>
[Classify(DataClass.Public, "处置单位目录", Activity = "处置单位")]
public sealed class Unit
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    [Classify(DataClass.Public, "处置单位名称（机构，不是个人）")]
    public required string Name { get; set; }

    public UnitKind Kind { get; init; }

    /// <summary>Region the unit belongs to, which for street and district governments is the territory they are responsible for.</summary>
    public required string RegionCode { get; init; }

    public bool IsActive { get; set; } = true;
}

/// <summary>
/// Sends cases of a category (or of any category) inside a region (or anywhere) to a unit. The most
/// specific rule wins: a category match beats a catch-all, a deeper region beats a shallower one.
/// </summary>
[Classify(DataClass.Internal, "派遣规则", Activity = "处置单位")]
public sealed class RoutingRule
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public string? CategoryCode { get; init; }

    /// <summary>Region path prefix the rule covers; null covers every region.</summary>
    public string? RegionPath { get; init; }

    public Guid UnitId { get; init; }
}
