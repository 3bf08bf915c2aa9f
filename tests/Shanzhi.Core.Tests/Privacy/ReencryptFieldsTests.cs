using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Privacy;

/// <summary>Key rotation over a test-only table of ciphertexts, created with raw SQL on each engine.</summary>
public sealed class ReencryptFieldsTests
{
    private static readonly EncryptedField Field = EncryptedField.For("test_contact", "phone_cipher");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rotation_rewrites_every_value_under_the_new_key(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStore.CreateAsync(kind);
        await using var services = Services(store);
        var cipher = services.GetRequiredService<FieldCipher>();
        await CreateTableAsync(store, kind, ct);
        await InsertAsync(store, cipher, 25, ct);

        var rotated = services.GetRequiredService<IKeyStore>().Rotate(KeyAlgorithm.Sm4Gcm);
        var report = await services.GetRequiredService<ReencryptFields>().RunAsync(batchSize: 10, ct);

        Assert.Equal(25, report.Rewritten);
        var rows = await ReadAsync(store, ct);
        Assert.All(rows, r => Assert.Equal(rotated.Id, FieldCipher.KeyIdOf(r.Value)));
        Assert.Equal(
            Enumerable.Range(1, 25).Select(Phone),
            rows.Select(r => cipher.Decrypt(r.Value, Field.Context)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rerun_leaves_values_already_under_the_active_key_untouched(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStore.CreateAsync(kind);
        await using var services = Services(store);
        var cipher = services.GetRequiredService<FieldCipher>();
        await CreateTableAsync(store, kind, ct);
        await InsertAsync(store, cipher, 5, ct);
        services.GetRequiredService<IKeyStore>().Rotate(KeyAlgorithm.Aes256Gcm);
        await services.GetRequiredService<ReencryptFields>().RunAsync(batchSize: 2, ct);
        var before = await ReadAsync(store, ct);

        var report = await services.GetRequiredService<ReencryptFields>().RunAsync(batchSize: 2, ct);

        Assert.Equal(0, report.Rewritten);
        Assert.Equal(before.Select(r => r.Value), (await ReadAsync(store, ct)).Select(r => r.Value));
    }

    private static ServiceProvider Services(TestStore store)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddShanzhiStorage(store.Options);
        services.AddShanzhiPrivacy(store.Options);
        services.AddEncryptedField(Field);
        return services.BuildServiceProvider();
    }

    private static string Phone(int i) => "138" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task CreateTableAsync(TestStore store, StoreKind kind, CancellationToken ct)
    {
        await using var db = store.NewContext();
        var sql = kind == StoreKind.Sqlite
            ? "CREATE TABLE test_contact (id INTEGER PRIMARY KEY, phone_cipher BLOB)"
            : "CREATE TABLE test_contact (id INTEGER PRIMARY KEY, phone_cipher BYTEA)";
        await db.Database.ExecuteSqlRawAsync(sql, ct);
    }

    private static async Task InsertAsync(TestStore store, FieldCipher cipher, int count, CancellationToken ct)
    {
        await using var db = store.NewContext();
        for (var i = 1; i <= count; i++)
        {
            var value = cipher.Encrypt(Phone(i), Field.Context);
            await db.Database.ExecuteSqlAsync($"INSERT INTO test_contact (id, phone_cipher) VALUES ({i}, {value})", ct);
        }
    }

    private static async Task<List<(int Id, byte[] Value)>> ReadAsync(TestStore store, CancellationToken ct)
    {
        await using var db = store.NewContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, phone_cipher FROM test_contact ORDER BY id";
        var rows = new List<(int, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt32(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }
}
