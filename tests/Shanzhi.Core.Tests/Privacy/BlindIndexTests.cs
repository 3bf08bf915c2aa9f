using Shanzhi.Privacy.Crypto;

namespace Shanzhi.Tests.Privacy;

public sealed class BlindIndexTests
{
    [Fact]
    public void Index_is_stable_for_one_key()
    {
        using var keys = new TestKeys();
        var index = new BlindIndex(keys.Store);

        Assert.Equal(index.Compute(BlindIndexKind.IdNumber, "11010519491231002X"), index.Compute(BlindIndexKind.IdNumber, "11010519491231002X"));
    }

    [Fact]
    public void Index_differs_between_keys()
    {
        using var first = new TestKeys();
        using var second = new TestKeys();

        Assert.NotEqual(
            new BlindIndex(first.Store).Compute(BlindIndexKind.Phone, "13812345678"),
            new BlindIndex(second.Store).Compute(BlindIndexKind.Phone, "13812345678"));
    }

    [Fact]
    public void Id_number_index_ignores_case_and_spaces()
    {
        using var keys = new TestKeys();
        var index = new BlindIndex(keys.Store);

        Assert.Equal(index.Compute(BlindIndexKind.IdNumber, "11010519491231002X"), index.Compute(BlindIndexKind.IdNumber, " 110105 19491231 002x"));
    }

    [Fact]
    public void Phone_index_uses_digits_only()
    {
        using var keys = new TestKeys();
        var index = new BlindIndex(keys.Store);

        Assert.Equal(index.Compute(BlindIndexKind.Phone, "13812345678"), index.Compute(BlindIndexKind.Phone, "+86 138-1234-5678"));
    }

    [Fact]
    public void Index_is_keyed_not_a_plain_hash()
    {
        using var keys = new TestKeys();

        var index = new BlindIndex(keys.Store).Compute(BlindIndexKind.Phone, "13812345678");

        Assert.NotEqual(System.Security.Cryptography.SHA256.HashData("Phone\013812345678"u8), index);
    }

    [Fact]
    public void Blind_index_key_is_not_an_encryption_key()
    {
        using var keys = new TestKeys();
        var ring = keys.Store.Current;

        Assert.NotEqual(ring.Active(KeyPurpose.Encryption).Material, ring.Active(KeyPurpose.BlindIndex).Material);
    }
}
