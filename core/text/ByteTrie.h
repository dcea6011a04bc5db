#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ts {

/// A trie over UTF-8 bytes mapping strings to ids, for longest-prefix matching without building
/// substrings. Busy nodes (the root, "##") keep a 256-entry table, the others a sorted edge list.
class ByteTrie
{
public:
    static constexpr int kNone = -1;

    /// Adds `key` with `value` (later additions of the same key win).
    void insert(std::string_view key, int value);
    /// Compacts the edges; call once after the last insert() and before lookups.
    void finish();

    /// The root node.
    int root() const { return 0; }
    /// The child of `node` along `byte`, or kNone.
    int child(int node, unsigned char byte) const;
    /// The node reached from `node` along `key`, or kNone.
    int walk(int node, std::string_view key) const;
    /// The value stored at `node`, or kNone.
    int value(int node) const { return m_nodes[std::size_t(node)].value; }

private:
    struct Node
    {
        int value = kNone;
        std::uint32_t firstEdge = 0; // into m_edges (after finish())
        std::uint32_t edgeCount = 0;
        int dense = kNone;           // index into m_dense, for nodes with many children
    };
    struct Edge
    {
        unsigned char byte;
        int target;
    };

    std::vector<Node> m_nodes{Node{}};
    std::vector<Edge> m_edges;
    std::vector<std::vector<Edge>> m_building; // per node while inserting
    std::vector<std::array<int, 256>> m_dense;
};

} // namespace ts
