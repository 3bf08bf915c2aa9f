using Shanzhi.Privacy.Handlers;

namespace Shanzhi.Tests.Privacy.Handlers;

public sealed class UnifiedSocialCreditCodeTests
{
    // 91350100M000100Y43 is a widely published sample code; the second was computed by hand
    // from the weights (sum 1396, 1396 mod 31 = 1, 31 - 1 = 30, the 31st character "Y").
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91330200MA2AB1234Y")]
    [InlineData(" 91330200ma2ab1234y ")]
    public void Valid_code_is_accepted(string code) => Assert.True(UnifiedSocialCreditCode.IsValid(code));

    [Theory]
    [InlineData("91350100M000100Y44")]
    [InlineData("91330200MA2AB12340")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y430")]
    [InlineData("91350100MI00100Y43")]
    [InlineData("")]
    public void Invalid_code_is_rejected(string code) => Assert.False(UnifiedSocialCreditCode.IsValid(code));

    [Fact]
    public void Check_character_31_is_written_as_zero() =>
        Assert.Equal('0', UnifiedSocialCreditCode.CheckCharacter("9133020000000000G"));
}
