#pragma once
// Tensor functions shared by the transformer modules. Includes torch: ui/ and the CLI must not
// include this header (core's public headers stay torch-free).

#include "model/ModelFamily.h"

#include <torch/torch.h>

namespace ts::ops {

/// Additive attention bias hiding padding keys: 0 where mask is 1, the dtype's lowest value where 0.
/// mask (B,T) of 0/1 -> (B,1,1,T) in `dtype`; undefined (no bias) for a CPU mask without a 0.
torch::Tensor paddingBias(const torch::Tensor &mask, torch::ScalarType dtype);

/// Additive bias hiding future and padding keys (decoders); with `window` > 0 also the keys `window`
/// or more positions back (sliding-window attention: query i sees keys i-window+1..i). mask (B,T) ->
/// (B,1,T,T) in `dtype`.
torch::Tensor causalBias(const torch::Tensor &mask, torch::ScalarType dtype, int64_t window = 0);

/// softmax(q k^T / sqrt(d) + bias) v, with dropout on the weights while `training`. Uses
/// scaled_dot_product_attention on libtorch 2.x, the explicit formula (softmax in fp32) on 1.x.
/// q (B,h,T,d), k and v (B,h,S,d), bias broadcastable to (B,h,T,S) or undefined -> (B,h,T,d).
torch::Tensor attention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                        const torch::Tensor &bias, double dropout, bool training);

/// Dropout: x with each element zeroed with probability p and the rest scaled by 1 / (1 - p) while
/// `training`, x itself otherwise. CPU floating-point tensors go through DropoutMask, others libtorch.
torch::Tensor dropout(const torch::Tensor &x, double p, bool training);

/// Applies `activation` element-wise.
torch::Tensor activate(Activation activation, const torch::Tensor &x);

/// (B,T,h*d) -> (B,h,T,d).
torch::Tensor splitHeads(const torch::Tensor &x, int64_t heads);

/// (B,h,T,d) -> (B,T,h*d).
torch::Tensor mergeHeads(const torch::Tensor &x);

/// x W + b with W stored (in, out), as GPT-2's Conv1D does. x (..., in) -> (..., out).
torch::Tensor conv1d(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias);

/// RMSNorm (Llama): x / sqrt(mean(x^2) + eps) * weight, computed in fp32. x (..., H), weight (H).
torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight, double eps);

/// Rotary position embedding of q or k. x (B,h,T,d); cos and sin (T,d) -> (B,h,T,d).
torch::Tensor rotate(const torch::Tensor &x, const torch::Tensor &cos, const torch::Tensor &sin);

/// Position of the last real token of each row. mask (B,T) -> (B) int64.
torch::Tensor lastTokenIndex(const torch::Tensor &mask);

/// Rows of `x` at `index`: x (B,T,C), index (B) -> (B,C).
torch::Tensor gatherRows(const torch::Tensor &x, const torch::Tensor &index);

/// Mean of the real tokens' hidden states (sentence embeddings). hidden (B,T,H), mask (B,T) -> (B,H).
torch::Tensor meanPool(const torch::Tensor &hidden, const torch::Tensor &mask);

} // namespace ts::ops
