using System.Text;

namespace Shanzhi.Tests.Infrastructure;

/// <summary>GB18030, the superset of GBK that Excel on Chinese Windows writes for "CSV (comma delimited)".</summary>
internal static class Gb18030
{
    public static Encoding Encoding { get; } = Create();

    public static byte[] Bytes(string text) => Encoding.GetBytes(text);

    private static Encoding Create()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }
}
