"""Where draw_graph puts each box of a computation graph: a layered layout in pure Python (no matplotlib).

The classic recipe for drawing a directed graph in columns (Sugiyama's): give every node a column so that
each input sits left of its use, put a "bend" node wherever an edge crosses a column, reorder each column
to cut edge crossings, then place the nodes of each column near their neighbours without overlapping.
Positions are in inches along the flow ("along") and across it ("cross"), whichever way the graph is drawn.
Used by draw_graph (lesson 01).
"""

def children_of(v):
    """The Values `v` was computed from: the package's read-only `v.children`, or `v._children` of the Value
    class a learner writes in lesson 01 (named as in the reference). Used by every graph picture and widget."""
    children = getattr(v, "children", None)
    return v._children if children is None else children


def local_grads_of(v):
    """d(v)/d(child), one per child: `v.local_grads`, or `v._local_grads` of lesson 01's own class (widgets)."""
    local_grads = getattr(v, "local_grads", None)
    return v._local_grads if local_grads is None else local_grads


def layered_graph(value):
    """Nodes (Values, operations, and bends of long edges) in columns, and the edges between them.

    Each node is [kind, value, column] with kind "value", "op" or "bend"; `chains` lists each drawn edge as
    the nodes it passes through; `left[i]` and `right[i]` are node i's neighbours in the next columns.
    Used by draw_graph (lesson 01).
    """
    order = value.topological_order()
    col = {value: 0}
    for v in reversed(order):  # parents before children: every input sits just left of its first use
        for child in children_of(v):
            col[child] = min(col.get(child, 0), col[v] - 2)
    shift = -min(col.values())
    nodes, index = [], {}
    for v in order:
        index[v] = len(nodes)
        nodes.append(["value", v, col[v] + shift])
        if children_of(v):
            index[(v, "op")] = len(nodes)
            nodes.append(["op", v, col[v] + shift - 1])
    chains = []
    for v in order:
        if not children_of(v):
            continue
        op = index[(v, "op")]
        for child in dict.fromkeys(children_of(v)):  # x * x draws one edge, not two on top of each other
            chain = [index[child]]
            for c in range(nodes[index[child]][2] + 1, nodes[op][2]):  # a bend in every column it crosses
                chain.append(len(nodes))
                nodes.append(["bend", None, c])
            chains.append(chain + [op])
        chains.append([op, index[v]])
    layers = [[] for _ in range(max(n[2] for n in nodes) + 1)]
    for i, n in enumerate(nodes):
        layers[n[2]].append(i)
    left, right = [[] for _ in nodes], [[] for _ in nodes]
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            right[a].append(b)
            left[b].append(a)
    return nodes, layers, chains, left, right


def _crossings(layers, right, pos):
    """How many pairs of edges cross between neighbouring columns."""
    total = 0
    for layer in layers:
        edges = [(pos[a], pos[b]) for a in layer for b in right[a]]
        total += sum(1 for i, (a1, b1) in enumerate(edges) for a2, b2 in edges[:i] if (a1 - a2) * (b1 - b2) < 0)
    return total


def _order_layers(layers, left, right, sweeps=8):
    """Reorder each column by the mean position of its neighbours (fewer crossings), keep the best."""
    pos = {n: (i + 0.5) / len(layer) for layer in layers for i, n in enumerate(layer)}
    best, best_crossings = [list(layer) for layer in layers], _crossings(layers, right, pos)
    for sweep in range(sweeps):
        if best_crossings == 0:
            break
        forward = sweep % 2 == 0
        neighbours = left if forward else right
        for layer in (layers[1:] if forward else layers[-2::-1]):
            layer.sort(key=lambda n: sum(pos[m] for m in neighbours[n]) / len(neighbours[n])
                       if neighbours[n] else pos[n])
            pos.update({n: (i + 0.5) / len(layer) for i, n in enumerate(layer)})
        crossings = _crossings(layers, right, pos)
        if crossings < best_crossings:
            best, best_crossings = [list(layer) for layer in layers], crossings
    return best


def _spread(desired, gaps):
    """Positions closest to `desired` (least squares) that keep their order and at least `gaps` apart."""
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks = []  # pool adjacent violators: runs of nodes pushed together, as [sum, count]
    for d, o in zip(desired, offsets):
        blocks.append([d - o, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    flat = [s / c for s, c in blocks for _ in range(c)]
    return [z + o for z, o in zip(flat, offsets)]


def _gaps(layer, heights):
    """The smallest allowed distance between the centres of neighbouring nodes of a column."""
    return [(heights[a] + heights[b]) / 2 + (0.18 if min(heights[a], heights[b]) > 0.1 else 0.1)
            for a, b in zip(layer, layer[1:])]


def _place_rows(layers, left, right, heights, passes=6):
    """Centres across the flow: each node near its neighbours' mean, never overlapping in its column."""
    y = {}
    for layer in layers:
        y.update(zip(layer, _spread([0.0] * len(layer), _gaps(layer, heights))))
    for _ in range(passes):
        for layer in layers + layers[::-1]:
            desired = [sum(y[m] for m in left[n] + right[n]) / len(left[n] + right[n]) if left[n] + right[n]
                       else y[n] for n in layer]
            y.update(zip(layer, _spread(desired, _gaps(layer, heights))))
    return y


def place(layers, left, right, along, across, gap=0.3):
    """Every node's centre, given each node's size `along` the flow and `across` it (lists, in inches).

    Returns `cross` (node -> centre across the flow), `rank` and `rank_size` (each column's centre and size
    along the flow) and the drawing's length along the flow. Columns are `gap` apart, room for the edges' curves.
    Used by draw_graph (lesson 01).
    """
    layers = _order_layers(layers, left, right)
    cross = _place_rows(layers, left, right, across)
    rank_size = [max([along[n] for n in layer] + [0.1]) for layer in layers]
    rank, r = [], 0.0
    for size in rank_size:
        rank.append(r + size / 2)
        r += size + gap
    return cross, rank, rank_size, r - gap


def edge_path(chain, nodes, cross, along, rank, rank_size):
    """One edge as path vertices (along, cross) and their kinds ("move", "line" or "curve", a cubic Bézier).

    S-curves between columns leave and arrive along the flow; straight runs go through the columns it crosses.
    Used by draw_graph (lesson 01).
    """
    first, last = chain[0], chain[-1]
    points = [(rank[nodes[first][2]] + along[first] / 2, cross[first])]
    for bend in chain[1:-1]:
        c = nodes[bend][2]
        points += [(rank[c] - rank_size[c] / 2, cross[bend]), (rank[c] + rank_size[c] / 2, cross[bend])]
    points.append((rank[nodes[last][2]] - along[last] / 2, cross[last]))
    verts, kinds = [points[0]], ["move"]
    for k, ((a0, c0), (a1, c1)) in enumerate(zip(points, points[1:])):
        if k % 2:  # straight through a column
            verts.append((a1, c1))
            kinds.append("line")
        else:  # the two control points sit halfway along, level with each end
            mid = (a0 + a1) / 2
            verts += [(mid, c0), (mid, c1), (a1, c1)]
            kinds += ["curve"] * 3
    return verts, kinds
