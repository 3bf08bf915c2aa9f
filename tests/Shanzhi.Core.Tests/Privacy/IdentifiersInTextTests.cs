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
    [InlineData("联系电话 138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("+86-13800138000")]
    [InlineData("8613800138000")]
    [InlineData("008613800138000")]
    [InlineData("0086 138 0013 8000，已通知")]
    [InlineData("2026-12-05 13800138000")]
    [InlineData("身份证 990101-19900101-0019")]
    [InlineData("990101 19900101 0019")]
    [InlineData("11010519491231002x")]
    [InlineData("110105 19491231 002X 已核实")]
    public void Spaced_or_dashed_number_is_found(string text)
    {
        Assert.True(IdentifiersInText.Contains(text));
    }

    [Theory]
    [InlineData("2026-12-05 发现")]
    [InlineData("2026-12-05 至 2026-12-19 居家")]
    [InlineData("2026-12-05 09:30 至 10:45 在商场")]
    [InlineData("案件编号 20261205000004")]
    [InlineData("网格 330203003022001")]
    [InlineData("网格 330203-003-022-001")]
    [InlineData("补助 1380 元，另付 13800 元")]
    [InlineData("座机 0574-87654321")]
    [InlineData("138 0013 800")]
    [InlineData("128 0013 8000")]
    [InlineData("990101-19900101-0018")]
    public void Other_formatted_numbers_pass(string text)
    {
        Assert.False(IdentifiersInText.Contains(text));
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
