#include "train/PredictionRows.h"

namespace ts {

QList<Prediction> PredictionRows::from(const TokenizedSet &set, int first, const torch::Tensor &probabilities)
{
    const torch::Tensor cpu = probabilities.to(torch::kCPU, torch::kFloat32).contiguous();
    const auto rows = cpu.accessor<float, 2>(); // (n, classes)
    QList<Prediction> predictions;
    predictions.reserve(rows.size(0));
    for (int64_t i = 0; i < rows.size(0); ++i) {
        const int example = first + int(i);
        Prediction p;
        p.documentId = set.documentIds.value(example);
        p.label = set.labels.value(example, -1);
        p.truncated = set.truncated.value(example);
        for (int64_t c = 0; c < rows.size(1); ++c) {
            p.probabilities.append(rows[i][c]);
            if (p.predicted < 0 || rows[i][c] > rows[i][p.predicted])
                p.predicted = int(c);
        }
        predictions.append(p);
    }
    return predictions;
}

} // namespace ts
