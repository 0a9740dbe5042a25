using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace TinyFish.Toolkit.Runtime;

/// <summary>Walks a cursor-paged list operation. Used by generated auto-paging methods.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Pager
{
    /// <summary>Yields each page, following the cursor until the server says there is no more.</summary>
    /// <param name="fetchPage">Fetches the page at a cursor (null for the first page).</param>
    /// <param name="nextCursor">The cursor of the next page, or null (or empty) when this is the last page.</param>
    /// <param name="cancellationToken">Stops the walk between and during pages.</param>
    /// <exception cref="InvalidOperationException">The server handed back the cursor it was just asked for, which would loop forever.</exception>
    public static async IAsyncEnumerable<TPage> PagesAsync<TPage>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, string?> nextCursor,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetchPage);
        ArgumentNullException.ThrowIfNull(nextCursor);
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetchPage(cursor, cancellationToken).ConfigureAwait(false);
            yield return page;
            var next = nextCursor(page);
            if (string.IsNullOrEmpty(next)) yield break;
            if (next == cursor)
                throw new InvalidOperationException($"The server returned the cursor '{cursor}' for the page it had just served at that cursor; stopping instead of looping.");
            cursor = next;
        }
        while (true);
    }

    /// <summary>
    /// Yields each page of a list that says whether more follow (<c>has_more</c>) beside its next cursor:
    /// the walk ends when <paramref name="hasMore"/> is false or the cursor is null.
    /// </summary>
    public static IAsyncEnumerable<TPage> PagesAsync<TPage>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, bool> hasMore,
        Func<TPage, string?> nextCursor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hasMore);
        ArgumentNullException.ThrowIfNull(nextCursor);
        return PagesAsync(fetchPage, page => hasMore(page) ? nextCursor(page) : null, cancellationToken);
    }

    /// <summary>Yields every item of every page, in order; a page with a null item list counts as empty.</summary>
    public static async IAsyncEnumerable<TItem> ItemsAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, string?> nextCursor,
        Func<TPage, IEnumerable<TItem>> items,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        await foreach (var page in PagesAsync(fetchPage, nextCursor, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in items(page) ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }
        }
    }
}
