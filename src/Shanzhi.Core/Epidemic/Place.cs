using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic;

/// <summary>A place where gate checks happen, located in one grid.</summary>
[Classify(DataClass.Public, "场所登记", Activity = "疫情防控场所与通行")]
public sealed class Place
{
    public const int NameMaxLength = 100;

    public long Id { get; init; }

    [Classify(DataClass.Public, "场所名称（单位或设施，不是个人）")]
    public required string Name { get; set; }

    public PlaceKind Kind { get; set; }

    [Classify(DataClass.Public, "场所位置（设施，不是个人）")]
    public double Latitude { get; set; }

    [Classify(DataClass.Public, "场所位置（设施，不是个人）")]
    public double Longitude { get; set; }

    /// <summary>Grid region code of the place, from <see cref="Geography.GridLocator"/>.</summary>
    public required string GridCode { get; set; }

    /// <summary>Region path of the grid, for scope checks and routing follow-up cases.</summary>
    public required string RegionPath { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

[Classify(DataClass.Public, "场所出入口登记", Activity = "疫情防控场所与通行")]
public sealed class Entrance
{
    public long Id { get; init; }

    public long PlaceId { get; init; }

    [Classify(DataClass.Public, "出入口名称")]
    public required string Name { get; set; }
}

/// <summary>
/// A gate device (face terminal, ID-card reader, scanner) at one entrance. It authenticates with
/// an API key; only the key's SHA-256 hash is stored.
/// </summary>
[Classify(DataClass.Internal, "设备接入", Activity = "疫情防控场所与通行")]
public sealed class Device
{
    public long Id { get; init; }

    public long EntranceId { get; init; }

    [Classify(DataClass.Public, "设备名称")]
    public required string Label { get; set; }

    public required byte[] ApiKeyHash { get; set; }

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; init; }

    public static byte[] HashApiKey(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
}

internal sealed class PlaceConfiguration : IEntityTypeConfiguration<Place>
{
    public void Configure(EntityTypeBuilder<Place> e)
    {
        e.HasKey(p => p.Id);
        e.Property(p => p.Id).ValueGeneratedOnAdd();
        e.Property(p => p.Name).HasMaxLength(Place.NameMaxLength);
        e.Property(p => p.Kind).HasConversion<string>().HasMaxLength(32);
        e.Property(p => p.GridCode).HasMaxLength(32);
        e.Property(p => p.RegionPath).HasMaxLength(128);
        e.HasIndex(p => p.RegionPath);
    }
}

internal sealed class EntranceConfiguration : IEntityTypeConfiguration<Entrance>
{
    public void Configure(EntityTypeBuilder<Entrance> e)
    {
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedOnAdd();
        e.Property(x => x.Name).HasMaxLength(Place.NameMaxLength);
        e.HasOne<Place>().WithMany().HasForeignKey(x => x.PlaceId);
    }
}

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> e)
    {
        e.HasKey(d => d.Id);
        e.Property(d => d.Id).ValueGeneratedOnAdd();
        e.Property(d => d.Label).HasMaxLength(Place.NameMaxLength);
        e.HasIndex(d => d.ApiKeyHash).IsUnique();
        e.HasOne<Entrance>().WithMany().HasForeignKey(d => d.EntranceId);
    }
}
