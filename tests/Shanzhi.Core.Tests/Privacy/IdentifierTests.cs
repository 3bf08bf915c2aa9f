using System.Globalization;
using Shanzhi.Privacy;
using Shanzhi.Tests.Epidemic.Registry;

namespace Shanzhi.Tests.Privacy;

public sealed class IdentifierTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);

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

    [Theory]
    [InlineData("2026-12-06")]
    [InlineData("2099-12-31")]
    [InlineData("3000-01-01")]
    [InlineData("9999-12-31")]
    public void Registration_rejects_future_birth_date(string birth)
    {
        var id = SyntheticIds.BornOn(DateOnly.Parse(birth, CultureInfo.InvariantCulture));

        var error = ChineseIdNumber.Validate(id, "idNumber", Today);

        Assert.Equal("privacy.id_number_invalid", error?.Code);
        Assert.Equal("idNumber", error?.Field);
        Assert.Contains("出生日期晚于今天", error?.Detail);
    }

    [Theory]
    [InlineData("2026-12-05")]
    [InlineData("1900-01-01")]
    public void Registration_accepts_birth_up_to_today(string birth)
    {
        var id = SyntheticIds.BornOn(DateOnly.Parse(birth, CultureInfo.InvariantCulture));

        Assert.Null(ChineseIdNumber.Validate(id, "idNumber", Today));
    }

    [Fact]
    public void Registration_rejects_birth_before_1900() =>
        Assert.Equal("privacy.id_number_invalid", ChineseIdNumber.Validate(SyntheticIds.BornOn(new DateOnly(1899, 12, 31)), "idNumber", Today)?.Code);

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
