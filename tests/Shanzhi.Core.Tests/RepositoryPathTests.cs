using System.Runtime.CompilerServices;

namespace Shanzhi.Tests;

/// <summary>Checks on the repository's own file layout.</summary>
public sealed class RepositoryPathTests
{
    private static readonly string[] BuildFolders = [".git", "bin", "obj", "node_modules"];

    /// <summary>
    /// Windows and macOS file systems ignore letter case by default, so two names that differ only
    /// in case collide there: a checkout keeps one of them and the other's files land inside it.
    /// </summary>
    [Fact]
    public void Names_differ_in_more_than_case()
    {
        var root = RepositoryRoot();
        var collisions = new List<string>();
        var folders = new Stack<string>([root]);
        while (folders.TryPop(out var folder))
        {
            var entries = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().ToList();
            collisions.AddRange(entries
                .GroupBy(name => name, StringComparer.OrdinalIgnoreCase)
                .Where(names => names.Count() > 1)
                .Select(names => Path.GetRelativePath(root, Path.Combine(folder, string.Join(" | ", names)))));

            foreach (var child in Directory.EnumerateDirectories(folder).Where(d => !BuildFolders.Contains(Path.GetFileName(d))))
            {
                folders.Push(child);
            }
        }

        Assert.Empty(collisions);
    }

    /// <summary>The folder with Shanzhi.slnx above this source file, as the compiler recorded its path.</summary>
    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        var folder = Path.GetDirectoryName(sourceFile);
        while (folder is not null && !File.Exists(Path.Combine(folder, "Shanzhi.slnx")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        Assert.True(folder is not null, $"No Shanzhi.slnx above {sourceFile}; run the tests from a source checkout.");
        return folder;
    }
}
