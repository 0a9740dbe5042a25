using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace TinyFish.Toolkit.Runtime;

/// <summary>Walks a cursor-paged list operation. Used by generated auto-paging methods.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Pager
{
    /// <summary>Yields each page, following the cursor until the server says there is no more.</summary>
    /// <param name="fetchPage">Fetches the page at a cursor (null for the first page).</param>
    /// <param name="nextCursor">The cursor of the next page, or null when this is the last page.</param>
    /// <param name="cancellationToken">Stops the walk between and during pages.</param>
    public static async IAsyncEnumerable<TPage> PagesAsync<TPage>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, string?> nextCursor,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetchPage(cursor, cancellationToken).ConfigureAwait(false);
            yield return page;
            cursor = nextCursor(page);
        }
        while (cursor is not null);
    }

    /// <summary>Yields every item of every page, in order.</summary>
    public static async IAsyncEnumerable<TItem> ItemsAsync<TPage, TItem>(
        Func<string?, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, string?> nextCursor,
        Func<TPage, IEnumerable<TItem>> items,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in PagesAsync(fetchPage, nextCursor, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in items(page)) yield return item;
        }
    }
}
