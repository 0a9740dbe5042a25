using System;
using System.Collections.Immutable;
using System.Linq;

namespace TinyFish.Toolkit.Generator.Model;

/// <summary>
/// The names of every client of the compilation, as far as one client's files depend on the others: the generator's
/// files share one folder, whose names Roslyn compares ignoring case. Two clients of one name in different namespaces
/// (two versions of one API) put their namespace in their file names; two of one full name would declare the same
/// types, and neither is generated.
/// </summary>
internal sealed record ClientNames(EquatableArray<string> SharedNames, EquatableArray<string> SharedFullNames)
{
    /// <summary>From each client's full name (<c>Namespace.ClientName</c>), in any order.</summary>
    public static ClientNames From(ImmutableArray<(string Namespace, string Name)> clients) => new(
        Shared(clients.Select(c => c.Name)),
        Shared(clients.Select(c => c.Namespace + "." + c.Name)));

    /// <summary>What the client's file names start with: its name, or its full name when another client has that name.</summary>
    public string HintPrefix(ClientModel client) =>
        SharedNames.Contains(client.ClientName, StringComparer.OrdinalIgnoreCase) ? FullName(client) : client.ClientName;

    /// <summary>Whether another client has the same full name.</summary>
    public bool IsDuplicate(ClientModel client) => SharedFullNames.Contains(FullName(client), StringComparer.OrdinalIgnoreCase);

    public static string FullName(ClientModel client) => client.Namespace + "." + client.ClientName;

    private static EquatableArray<string> Shared(System.Collections.Generic.IEnumerable<string> names) => names
        .GroupBy(name => name, StringComparer.OrdinalIgnoreCase)
        .Where(group => group.Count() > 1)
        .Select(group => group.Key)
        .OrderBy(name => name, StringComparer.Ordinal)
        .ToEquatableArray();
}
