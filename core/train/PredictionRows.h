#pragma once

// Includes torch: for core's torch folders only.
#include "project/PredictionSet.h"
#include "train/TokenizedSet.h"

#include <torch/torch.h>

namespace ts {

/// Turns a classifier's probabilities into stored predictions.
class PredictionRows
{
public:
    /// One Prediction per row of `probabilities` (n, classes; float32, CPU), for the examples
    /// `first` .. `first + n - 1` of `set` (their document ids, labels and truncation marks).
    static QList<Prediction> from(const TokenizedSet &set, int first, const torch::Tensor &probabilities);
};

} // namespace ts
