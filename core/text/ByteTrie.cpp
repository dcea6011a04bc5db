#include "text/ByteTrie.h"

#include <algorithm>

namespace ts {

namespace {
constexpr std::uint32_t kDenseFrom = 12; // children from which a node gets a 256-entry table
} // namespace

void ByteTrie::insert(std::string_view key, int value)
{
    m_building.resize(m_nodes.size());
    int node = 0;
    for (const char ch : key) {
        const auto byte = static_cast<unsigned char>(ch);
        auto &edges = m_building[std::size_t(node)];
        const auto it = std::find_if(edges.begin(), edges.end(), [byte](const Edge &e) { return e.byte == byte; });
        if (it != edges.end()) {
            node = it->target;
            continue;
        }
        const int next = int(m_nodes.size());
        edges.push_back({byte, next});
        m_nodes.emplace_back();
        m_building.emplace_back();
        node = next;
    }
    m_nodes[std::size_t(node)].value = value;
}

void ByteTrie::finish()
{
    m_building.resize(m_nodes.size());
    m_edges.clear();
    m_dense.clear();
    for (std::size_t n = 0; n < m_nodes.size(); ++n) {
        auto &edges = m_building[n];
        std::sort(edges.begin(), edges.end(), [](const Edge &a, const Edge &b) { return a.byte < b.byte; });
        Node &node = m_nodes[n];
        node.firstEdge = std::uint32_t(m_edges.size());
        node.edgeCount = std::uint32_t(edges.size());
        m_edges.insert(m_edges.end(), edges.begin(), edges.end());
        if (edges.size() >= kDenseFrom) {
            node.dense = int(m_dense.size());
            m_dense.emplace_back();
            m_dense.back().fill(kNone);
            for (const Edge &e : edges)
                m_dense.back()[e.byte] = e.target;
        }
    }
    m_building.clear();
    m_building.shrink_to_fit();
}

int ByteTrie::child(int node, unsigned char byte) const
{
    const Node &n = m_nodes[std::size_t(node)];
    if (n.dense != kNone)
        return m_dense[std::size_t(n.dense)][byte];
    const Edge *edge = m_edges.data() + n.firstEdge;
    for (std::uint32_t i = 0; i < n.edgeCount; ++i) {
        if (edge[i].byte == byte)
            return edge[i].target;
        if (edge[i].byte > byte)
            break;
    }
    return kNone;
}

int ByteTrie::walk(int node, std::string_view key) const
{
    for (const char ch : key) {
        if (node == kNone)
            return kNone;
        node = child(node, static_cast<unsigned char>(ch));
    }
    return node;
}

} // namespace ts
