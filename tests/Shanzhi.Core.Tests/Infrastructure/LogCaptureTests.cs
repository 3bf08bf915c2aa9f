using Microsoft.Extensions.Logging;

namespace Shanzhi.Tests.Infrastructure;

public sealed class LogCaptureTests
{
    // GB 11643 example number with a valid check character; 13912345678 is a well-formed mobile number.
    private const string PlantedId = "11010519491231002X";

    private static string LogThroughOwnSink(string message)
    {
        var sink = new LogSink();
        using var factory = sink.Factory();
        factory.CreateLogger("Planted").LogInformation("{Message}", message);
        return sink.Text();
    }

    [Fact]
    public void Scanner_finds_planted_ID_number()
    {
        var findings = PersonalDataScanner.Find(LogThroughOwnSink($"holder {PlantedId} registered"), []);

        Assert.Contains(findings, f => f.StartsWith("ID number 110105", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_ignores_number_with_wrong_check_digit()
    {
        Assert.Empty(PersonalDataScanner.Find(LogThroughOwnSink("holder 110105194912310021 registered"), []));
    }

    [Fact]
    public void Scanner_finds_mobile_number()
    {
        var findings = PersonalDataScanner.Find(LogThroughOwnSink("电话13912345678联系"), []);

        Assert.Contains(findings, f => f.StartsWith("mobile number 139****5678", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_ignores_mobile_digits_inside_longer_number()
    {
        Assert.Empty(PersonalDataScanner.Find(LogThroughOwnSink("ticks 6391234567812"), []));
    }

    [Fact]
    public void Scanner_finds_registered_name()
    {
        var findings = PersonalDataScanner.Find(LogThroughOwnSink("resident 王小明 moved"), ["王小明"]);

        Assert.Contains(findings, f => f.StartsWith("registered name 王**", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_digit_X_stands_for_ten()
    {
        Assert.True(PersonalDataScanner.HasValidCheckDigit(PlantedId));
    }
}
