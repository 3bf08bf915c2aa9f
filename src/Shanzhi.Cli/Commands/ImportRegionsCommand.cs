using System.CommandLine;

namespace Shanzhi.Cli.Commands;

internal static class ImportRegionsCommand
{
    // TODO: placeholder until the command is written.
    public static Command Create() => new("regions", "ImportRegions");
}
