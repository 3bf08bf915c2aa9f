using Shanzhi.Privacy;

namespace Shanzhi.Tests.Privacy;

public sealed class MaskingTests
{
    [Fact]
    public void Id_number_keeps_first_and_last_four() =>
        Assert.Equal("3302**********1234", Masking.IdNumber("330203199001011234"));

    [Fact]
    public void Mobile_number_keeps_first_three_and_last_four() =>
        Assert.Equal("138****5678", Masking.Phone("13812345678"));

    [Fact]
    public void Landline_keeps_last_four() =>
        Assert.Equal("********4321", Masking.Phone("0574-87654321"));

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("王小明", "王**")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("李", "*")]
    public void Name_keeps_the_first_character(string name, string masked) =>
        Assert.Equal(masked, Masking.Name(name));

    [Theory]
    [InlineData("浙江省宁波市海曙区鼓楼街道中山西路138号3幢501室", "浙江省宁波市海曙区鼓楼街道中山西路****")]
    [InlineData("宁波市鄞州区首南街道天童南路588号", "宁波市鄞州区首南街道天童南路****")]
    [InlineData("海曙区西门街道", "海曙区西门街道")]
    [InlineData("鄞州区钱湖北路1号", "鄞州区钱湖北路****")]
    [InlineData("幸福家园3幢", "****")]
    public void Address_keeps_district_street_and_road(string address, string masked) =>
        Assert.Equal(masked, Masking.Address(address));
}
