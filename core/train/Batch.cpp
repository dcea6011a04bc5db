#include "train/Batch.h"

#include <algorithm>

namespace ts {

Batch Batch::gather(const TokenizedSet &set, const QList<int> &indices, int64_t padId, const torch::Device &device)
{
    const int64_t rows = indices.size();
    size_t longest = 1;
    for (int i : indices)
        longest = std::max(longest, set.ids[size_t(i)].size());
    const int64_t columns = int64_t(longest);

    auto ids = torch::full({rows, columns}, padId, torch::kInt64);
    auto mask = torch::zeros({rows, columns}, torch::kInt64);
    auto labels = torch::empty({rows}, torch::kInt64);
    auto domains = torch::empty({rows}, torch::kInt64);
    auto idsA = ids.accessor<int64_t, 2>();
    auto maskA = mask.accessor<int64_t, 2>();
    for (int64_t r = 0; r < rows; ++r) {
        const int index = indices[r];
        const auto &tokens = set.ids[size_t(index)];
        for (size_t c = 0; c < tokens.size(); ++c) {
            idsA[r][int64_t(c)] = tokens[c];
            maskA[r][int64_t(c)] = 1;
        }
        labels[r] = set.labels[index];
        domains[r] = set.domains[index];
    }
    return {ids.to(device), mask.to(device), labels.to(device), domains.to(device)};
}

} // namespace ts
