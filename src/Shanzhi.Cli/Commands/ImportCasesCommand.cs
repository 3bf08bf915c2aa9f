using System.CommandLine;

namespace Shanzhi.Cli.Commands;

internal static class ImportCasesCommand
{
    // TODO: placeholder until the command is written.
    public static Command Create() => new("cases", "ImportCases");
}
