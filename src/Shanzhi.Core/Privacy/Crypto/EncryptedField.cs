namespace Shanzhi.Privacy.Crypto;

/// <summary>
/// A column holding <see cref="FieldCipher"/> ciphertexts, registered so that key rotation finds
/// it. <paramref name="Context"/> is the associated data the values were encrypted with, normally
/// <c>table.column</c>. Names are SQL identifiers as stored (snake case) and are quoted when used.
/// </summary>
public sealed record EncryptedField(string Table, string IdColumn, string CiphertextColumn, string Context)
{
    public static EncryptedField For(string table, string ciphertextColumn, string idColumn = "id") =>
        new(table, idColumn, ciphertextColumn, table + "." + ciphertextColumn);
}
