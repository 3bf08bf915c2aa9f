namespace Shanzhi.Cases;

/// <summary>Length limits of case text, shared by validation and the schema.</summary>
public static class CaseLimits
{
    public const int TitleMaxLength = 100;
    public const int DescriptionMaxLength = 2000;
    public const int AddressMaxLength = 200;
    public const int ReasonMaxLength = 1000;
    public const int ExternalRefMaxLength = 64;
}
