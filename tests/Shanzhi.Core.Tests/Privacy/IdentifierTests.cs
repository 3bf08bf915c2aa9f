using Shanzhi.Privacy;

namespace Shanzhi.Tests.Privacy;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("330203199001011236")]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData("330203200002290017")]
    public void Valid_id_number_is_accepted(string value) => Assert.True(ChineseIdNumber.IsValid(value));

    [Theory]
    [InlineData("330203199001011234")] // check digit should be 6
    [InlineData("110105194912310021")] // check digit should be X
    [InlineData("330203199002301236")] // 30 February
    [InlineData("33020319900101123")]
    [InlineData("33020319900101123A")]
    [InlineData("3302031990010112361")]
    [InlineData("")]
    public void Invalid_id_number_is_rejected(string value) => Assert.False(ChineseIdNumber.IsValid(value));

    [Fact]
    public void Check_character_follows_iso_7064_mod_11_2() =>
        Assert.Equal('X', ChineseIdNumber.CheckCharacter("11010519491231002"));

    [Fact]
    public void Invalid_id_number_error_names_field()
    {
        var error = ChineseIdNumber.Validate("330203199001011234", "idNumber");

        Assert.Equal("privacy.id_number_invalid", error?.Code);
        Assert.Equal("idNumber", error?.Field);
        Assert.Contains("校验码", error?.Detail);
    }

    [Theory]
    [InlineData("13812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("8619912345678")]
    public void Mainland_mobile_number_is_accepted(string value) => Assert.True(MobileNumber.IsValid(value));

    [Theory]
    [InlineData("12812345678")]
    [InlineData("1381234567")]
    [InlineData("0574-87654321")]
    [InlineData("138123456789")]
    public void Other_number_is_not_a_mobile_number(string value) => Assert.False(MobileNumber.IsValid(value));
}
