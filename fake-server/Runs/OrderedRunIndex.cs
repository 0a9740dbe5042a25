namespace TinyFish.FakeServer.Runs;

/// <summary>
/// A sorted set of <see cref="RunKey"/>s that also knows ranks: a treap whose nodes carry their
/// subtree's size. Insert, remove and "how many keys are below k" cost O(log n); walking a page of
/// keys from a rank costs O(log n + page). <see cref="SortedSet{T}"/> cannot count a range without
/// walking it, which would make <c>total</c> a scan.
/// </summary>
/// <remarks>
/// Priorities come from a fixed-seed xorshift, so the same inserts give the same tree (and the same
/// <see cref="NodesVisited"/>) on every run. Not thread-safe: the store's lock guards it.
/// </remarks>
internal sealed class OrderedRunIndex
{
    private Node? _root;
    private uint _random = 2463534242;

    public int Count => Size(_root);

    /// <summary>Nodes looked at by every operation so far: a machine-independent measure of cost.</summary>
    public long NodesVisited { get; private set; }

    public void Add(RunKey key)
    {
        var (below, atOrAbove) = Split(_root, key);
        _root = Merge(Merge(below, new Node(key, NextPriority())), atOrAbove);
    }

    public bool Remove(RunKey key)
    {
        var removed = false;
        _root = Remove(_root, key, ref removed);
        return removed;
    }

    /// <summary>The number of keys smaller than <paramref name="key"/> (or equal to it, when <paramref name="inclusive"/>).</summary>
    public int CountBelow(RunKey key, bool inclusive)
    {
        var count = 0;
        var node = _root;
        while (node is not null)
        {
            NodesVisited++;
            var comparison = node.Key.CompareTo(key);
            if (comparison < 0 || (inclusive && comparison == 0))
            {
                count += Size(node.Left) + 1;
                node = node.Right;
            }
            else
            {
                node = node.Left;
            }
        }
        return count;
    }

    /// <summary>The keys with rank in [<paramref name="fromRank"/>, <paramref name="toRank"/>), lowest first or highest first.</summary>
    public IEnumerable<RunKey> Range(int fromRank, int toRank, bool descending)
    {
        fromRank = Math.Max(fromRank, 0);
        toRank = Math.Min(toRank, Count);
        if (fromRank >= toRank) yield break;
        var remaining = toRank - fromRank;
        var path = new Stack<Node>();
        Seek(descending ? toRank - 1 : fromRank, descending, path);
        while (remaining-- > 0 && path.Count > 0)
        {
            var node = path.Pop();
            yield return node.Key;
            // The next key in the walk is the nearest one down the other side of this node.
            var next = descending ? node.Left : node.Right;
            while (next is not null)
            {
                NodesVisited++;
                path.Push(next);
                next = descending ? next.Right : next.Left;
            }
        }
    }

    // Leaves on the stack exactly the nodes still to be walked, nearest on top.
    private void Seek(int rank, bool descending, Stack<Node> path)
    {
        var node = _root;
        while (node is not null)
        {
            NodesVisited++;
            var leftSize = Size(node.Left);
            if (rank < leftSize)
            {
                if (!descending) path.Push(node);
                node = node.Left;
            }
            else if (rank == leftSize)
            {
                path.Push(node);
                return;
            }
            else
            {
                if (descending) path.Push(node);
                rank -= leftSize + 1;
                node = node.Right;
            }
        }
    }

    private (Node? Below, Node? AtOrAbove) Split(Node? node, RunKey key)
    {
        if (node is null) return (null, null);
        NodesVisited++;
        if (node.Key.CompareTo(key) < 0)
        {
            var (below, atOrAbove) = Split(node.Right, key);
            node.Right = below;
            node.Update();
            return (node, atOrAbove);
        }
        else
        {
            var (below, atOrAbove) = Split(node.Left, key);
            node.Left = atOrAbove;
            node.Update();
            return (below, node);
        }
    }

    private Node? Merge(Node? low, Node? high)
    {
        if (low is null) return high;
        if (high is null) return low;
        NodesVisited++;
        if (low.Priority > high.Priority)
        {
            low.Right = Merge(low.Right, high);
            low.Update();
            return low;
        }
        high.Left = Merge(low, high.Left);
        high.Update();
        return high;
    }

    private Node? Remove(Node? node, RunKey key, ref bool removed)
    {
        if (node is null) return null;
        NodesVisited++;
        var comparison = key.CompareTo(node.Key);
        if (comparison == 0)
        {
            removed = true;
            return Merge(node.Left, node.Right);
        }
        if (comparison < 0) node.Left = Remove(node.Left, key, ref removed);
        else node.Right = Remove(node.Right, key, ref removed);
        node.Update();
        return node;
    }

    private uint NextPriority()
    {
        var x = _random;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return _random = x;
    }

    private static int Size(Node? node) => node?.Size ?? 0;

    private sealed class Node(RunKey key, uint priority)
    {
        public RunKey Key { get; } = key;

        public uint Priority { get; } = priority;

        public Node? Left { get; set; }

        public Node? Right { get; set; }

        public int Size { get; private set; } = 1;

        public void Update() => Size = 1 + OrderedRunIndex.Size(Left) + OrderedRunIndex.Size(Right);
    }
}
