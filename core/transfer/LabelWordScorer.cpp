#include "transfer/LabelWordScorer.h"

#include "train/Batch.h"

#include <algorithm>
#include <numeric>

namespace ts {

LabelWordScorer::LabelWordScorer(std::vector<std::vector<long long>> wordIds, long long maskId,
                                 PromptSettings::WordScore wordScore, int64_t padId)
    : m_wordIds(std::move(wordIds)), m_maskId(maskId), m_wordScore(wordScore), m_padId(padId)
{
}

torch::Tensor LabelWordScorer::score(PretrainedModel &model, const torch::Tensor &ids, const torch::Tensor &mask) const
{
    const int64_t batchSize = ids.size(0);
    const int64_t classes = int64_t(m_wordIds.size());
    const torch::Tensor cpuIds = ids.to(torch::kCPU, torch::kLong).contiguous();
    const torch::Tensor lengths = mask.sum(1).to(torch::kCPU, torch::kLong);
    // One row per (prompt, class), row b * classes + c; for each scored token: its row, the
    // position whose output predicts it, and its id.
    TokenizedSet rows;
    std::vector<int64_t> rowOf, positionOf, tokenOf;
    for (int64_t b = 0; b < batchSize; ++b) {
        const int64_t length = lengths[b].item<int64_t>();
        const int64_t *begin = cpuIds[b].data_ptr<int64_t>();
        const std::vector<long long> prompt(begin, begin + length);
        const auto maskAt = std::find(prompt.begin(), prompt.end(), m_maskId);
        for (int64_t c = 0; c < classes; ++c) {
            const std::vector<long long> &word = m_wordIds[size_t(c)];
            std::vector<long long> row;
            int64_t first = 0; // the position predicting the word's first token
            if (m_maskId < 0) {
                row = prompt;
                row.insert(row.end(), word.begin(), word.end());
                first = length - 1;
            } else {
                row.assign(prompt.begin(), maskAt);
                first = int64_t(row.size());
                row.insert(row.end(), word.size(), m_maskId);
                row.insert(row.end(), maskAt == prompt.end() ? prompt.end() : maskAt + 1, prompt.end());
            }
            for (size_t j = 0; j < word.size(); ++j) {
                rowOf.push_back(b * classes + c);
                positionOf.push_back(first + int64_t(j));
                tokenOf.push_back(word[j]);
            }
            rows.ids.push_back(std::move(row));
            rows.labels.append(-1);
            rows.domains.append(0);
        }
    }
    QList<int> all(rows.size());
    std::iota(all.begin(), all.end(), 0);
    const Batch batch = Batch::gather(rows, all, m_padId, ids.device());
    const torch::Tensor logits = model.forward(batch.ids, batch.mask); // (B*C, T, V)
    const auto device = ids.device();
    const torch::Tensor row = torch::tensor(rowOf, torch::kLong).to(device);
    const torch::Tensor position = torch::tensor(positionOf, torch::kLong).to(device);
    const torch::Tensor token = torch::tensor(tokenOf, torch::kLong).to(device);
    // Only the scored positions go through the softmax: (K, V) instead of (B*C, T, V).
    const torch::Tensor logProbs = torch::log_softmax(logits.index({row, position}).to(torch::kFloat32), -1); // (K, V)
    const torch::Tensor tokenLogProbs = logProbs.gather(1, token.unsqueeze(1)).squeeze(1);               // (K)
    torch::Tensor sums = torch::zeros({batchSize * classes}, logProbs.options()).index_add(0, row, tokenLogProbs);
    if (m_wordScore == PromptSettings::WordScore::Mean) {
        std::vector<float> counts;
        for (int64_t b = 0; b < batchSize; ++b) {
            for (const auto &word : m_wordIds)
                counts.push_back(float(word.size()));
        }
        sums = sums / torch::tensor(counts, torch::kFloat32).to(device);
    }
    return sums.view({batchSize, classes});
}

} // namespace ts
