using Shanzhi.Privacy;

namespace Shanzhi.Tests.Privacy;

public sealed class IdentifiersInTextTests
{
    // A made-up number with a valid check character: region 330203, born 1990-01-01, sequence 123.
    private static readonly string IdNumber = "33020319900101123" + ChineseIdNumber.CheckCharacter("33020319900101123");

    [Theory]
    [InlineData("追踪{0}的密接")]
    [InlineData("{0}")]
    [InlineData("病例（{0}）确诊")]
    public void Id_number_is_found(string template)
    {
        Assert.True(IdentifiersInText.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, IdNumber)));
    }

    [Theory]
    [InlineData("联系电话13812345678")]
    [InlineData("13912345678，已通知")]
    public void Mobile_number_is_found(string text)
    {
        Assert.True(IdentifiersInText.Contains(text));
    }

    [Theory]
    [InlineData("追踪人员 1024 的密切接触者并落实管控")]
    [InlineData("依据甬防指〔2022〕18号通告")]
    [InlineData("订单号 2138123456789012345678")]
    [InlineData("330203199001011239")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_text_passes(string? text)
    {
        Assert.False(IdentifiersInText.Contains(text));
    }
}
