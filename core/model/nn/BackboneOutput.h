#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

#include <vector>

namespace ts {

/// What a TransformerBackbone computes for one batch.
struct BackboneOutput
{
    torch::Tensor hidden;                    // (B,T,H) last hidden state (after the final norm for decoders)
    torch::Tensor pooled;                    // (B,H) BERT's pooler output (tanh(W h_CLS + b)); undefined elsewhere
    std::vector<torch::Tensor> hiddenStates; // when requested: L+1 x (B,T,H), embeddings first, as HF's
                                             // output_hidden_states (decoders: the last one is normed)
};

} // namespace ts
