using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TinyFish.Toolkit.Generator.Helpers;

/// <summary>Turns spec names (snake_case, kebab-case, SCREAMING_CASE, anything) into valid C# identifiers.</summary>
internal static class Naming
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// Names a generated member must not take: <see cref="object"/>'s (a member that hides one warns), those C# gives
    /// records and record structs, and <c>Clone</c>, which records do not allow (CS8859).
    /// </summary>
    private static readonly string[] ReservedMembers =
        ["Equals", "GetHashCode", "ToString", "GetType", "ReferenceEquals", "MemberwiseClone", "Finalize", "EqualityContract", "PrintMembers", "Deconstruct", "Clone"];

    /// <summary>The member names a generated type must leave free: the reserved ones and <paramref name="own"/> (its name, its fixed members).</summary>
    public static HashSet<string> MemberNames(params string[] own)
    {
        var names = new HashSet<string>(ReservedMembers, StringComparer.Ordinal);
        names.UnionWith(own);
        return names;
    }

    /// <summary>Whether <paramref name="name"/> is one a generated member must not take whatever its type (see <see cref="MemberNames"/>).</summary>
    public static bool IsReservedMember(string name) => Array.IndexOf(ReservedMembers, name) >= 0;

    /// <summary><c>run_id</c> → <c>RunId</c>, <c>STREAMING_URL</c> → <c>StreamingUrl</c>, <c>getRun</c> → <c>GetRun</c>, <c>2fa</c> → <c>_2fa</c>.</summary>
    public static string Pascal(string name)
    {
        // A leading sign on a number carries the meaning (GitHub's "+1" and "-1" reactions): keep it as a word.
        if (name.Length > 1 && char.IsDigit(name[1]) && name[0] is '+' or '-')
        {
            name = (name[0] == '+' ? "Plus" : "Minus") + name.Substring(1);
        }
        var builder = new StringBuilder(name.Length);
        foreach (var word in Words(name))
        {
            var allUpper = word.Length > 1 && IsAllUpper(word);
            builder.Append(char.ToUpperInvariant(word[0]));
            builder.Append(allUpper ? word.Substring(1).ToLowerInvariant() : word.Substring(1));
        }
        if (builder.Length == 0) return "_";
        if (char.IsDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    /// <summary><c>sort_direction</c> → <c>sortDirection</c>; keywords escaped (<c>@class</c>).</summary>
    public static string Camel(string name)
    {
        var pascal = Pascal(name);
        var start = pascal[0] == '_' ? 1 : 0;
        if (start >= pascal.Length) return "_";
        var camel = pascal.Substring(0, start) + char.ToLowerInvariant(pascal[start]) + pascal.Substring(start + 1);
        return EscapeKeyword(camel);
    }

    public static string EscapeKeyword(string identifier) => Keywords.Contains(identifier) ? "@" + identifier : identifier;

    /// <summary>
    /// Returns <paramref name="name"/>, or it with the lowest numeric suffix not yet in <paramref name="used"/>
    /// (after an underscore when the name ends in a digit, so <c>V1</c> becomes <c>V1_2</c>, not <c>V12</c>); adds the result.
    /// </summary>
    public static string Unique(string name, ISet<string> used)
    {
        if (used.Add(name)) return name;
        var stem = name.Length > 0 && char.IsDigit(name[name.Length - 1]) ? name + "_" : name;
        for (var i = 2; ; i++)
        {
            var candidate = stem + i.ToString(CultureInfo.InvariantCulture);
            if (used.Add(candidate)) return candidate;
        }
    }

    /// <summary>A namespace made of valid identifiers, e.g. <c>my-app.api</c> → <c>MyApp.Api</c>.</summary>
    public static string Namespace(string value)
    {
        var parts = value.Split(new[] { '.' }, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            parts[i] = IsIdentifier(part) && !Keywords.Contains(part) ? part : Pascal(part);
        }
        return parts.Length == 0 ? "Generated" : string.Join(".", parts);
    }

    public static bool IsIdentifier(string value)
    {
        if (value.Length == 0 || !(char.IsLetter(value[0]) || value[0] == '_')) return false;
        foreach (var c in value)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
        }
        return true;
    }

    /// <summary>How many words a name has, split as <see cref="Pascal"/> splits them (<c>TaxBehavior</c>: 2).</summary>
    public static int WordCount(string name) => System.Linq.Enumerable.Count(Words(name));

    private static IEnumerable<string> Words(string name)
    {
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c) || c > 127)
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
                continue;
            }
            // camelCase boundary: "getRun" → "get", "Run"; digit→letter stays in one word ("v1beta").
            if (current.Length > 0 && char.IsUpper(c) && char.IsLower(current[current.Length - 1]))
            {
                yield return current.ToString();
                current.Clear();
            }
            current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static bool IsAllUpper(string word)
    {
        var hasLetter = false;
        foreach (var c in word)
        {
            if (char.IsLower(c)) return false;
            hasLetter |= char.IsLetter(c);
        }
        return hasLetter;
    }
}
