namespace Shanzhi.Tests;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("普通文本", false)]
    [InlineData("第一行\n第二行\t缩进\r\n", false)]
    [InlineData("a\u0000b", true)]
    [InlineData("a\u007Fb", true)]
    [InlineData("商场\u202E名称", true)]
    [InlineData("\u202A嵌入", true)]
    [InlineData("隔离\u2066x\u2069", true)]
    [InlineData("零宽\u200B空格", false)]
    [InlineData(null, false)]
    public void Control_characters_are_found(string? text, bool expected) =>
        Assert.Equal(expected, TextRules.HasControlCharacters(text));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("  \t", true)]
    [InlineData("\u200B\u200B", true)]
    [InlineData(" \u200D\uFEFF ", true)]
    [InlineData("\u200B东门", false)]
    [InlineData("A", false)]
    public void Blank_text_has_nothing_visible(string? text, bool expected) =>
        Assert.Equal(expected, TextRules.IsBlank(text));
}
