#pragma once
// Includes torch: not for ui/ or the CLI.

#include "model/nn/BackboneOutput.h"

#include <torch/torch.h>

namespace ts {

/// A task head on a TransformerBackbone. Its child modules carry Hugging Face's top-level names
/// ("classifier", "score", "cls", "lm_head", "pre_classifier", "vocab_transform", ...), so that a
/// PretrainedModel can register them beside the backbone and match task checkpoints. Heads keep no
/// parameters of their own outside those children.
class ModelHead : public torch::nn::Module
{
public:
    /// Task outputs for a batch; `mask` (B,T) marks real tokens.
    virtual torch::Tensor forward(const BackboneOutput &output, const torch::Tensor &mask) = 0;
};

} // namespace ts
