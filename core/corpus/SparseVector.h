#pragma once

#include <vector>

namespace ts {

/// A sparse feature vector: `indices` ascending and unique, `values` beside them.
struct SparseVector
{
    std::vector<int> indices;
    std::vector<float> values;
};

} // namespace ts
