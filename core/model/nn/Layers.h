#pragma once
// Builders that register parameters under Hugging Face's names ("encoder.layer.0.attention.self.query")
// so that named_parameters() matches checkpoints. Includes torch: not for ui/ or the CLI.

#include "model/nn/LinearAdapter.h"

#include <torch/torch.h>

#include <memory>
#include <string>

namespace ts::layers {

/// A parameter-less module registered as `name` under `parent`, to nest names ("attention", "self").
std::shared_ptr<torch::nn::Module> group(torch::nn::Module &parent, const std::string &name);

/// A Linear (weight (out,in), N(0, std); bias zero) registered as `name`; with placeholder weight and
/// bias while a DeferredInit is active.
torch::nn::Linear linear(torch::nn::Module &parent, const std::string &name, int64_t in, int64_t out, bool bias,
                         double std);

/// linear(x), plus the update of a LinearAdapter attached to it (LoRA) when there is one. Computes in
/// the weight's dtype (x is converted to it); the adapter's update is added in that dtype too.
torch::Tensor project(torch::nn::Linear &linear, const torch::Tensor &x);

/// The LinearAdapter attached to `layer` (a Linear or GPT-2's Conv1D), or null.
std::shared_ptr<LinearAdapter> adapterOf(const torch::nn::Module &layer);

/// A LayerNorm over the last `dim` values (weight one, bias zero) registered as `name`.
torch::nn::LayerNorm layerNorm(torch::nn::Module &parent, const std::string &name, int64_t dim, double eps);

/// An Embedding table (count,dim), N(0, std), registered as `name`; a placeholder while a DeferredInit
/// is active.
torch::nn::Embedding embedding(torch::nn::Module &parent, const std::string &name, int64_t count, int64_t dim,
                               double std);

/// Registers `value` as parameter `name` of `parent` and returns the registered handle.
torch::Tensor parameter(torch::nn::Module &parent, const std::string &name, const torch::Tensor &value);

/// A normal(0, std) tensor of `shape` (initial weights); a placeholder while a DeferredInit is active.
torch::Tensor normal(torch::IntArrayRef shape, double std);

/// The dtype of `module`'s first floating-point parameter (fp32 when it has none): a layer kept in its
/// stored 16-bit dtype (frozen) computes in it, a trained one in fp32.
torch::ScalarType dtypeOf(const torch::nn::Module &module);

/// Converts `module`'s bf16/fp16 parameters that require grad to fp32 before they are trained, keeping
/// each parameter the same tensor (optimisers and tied weights still see it); returns how many changed.
/// A weight viewing a mapped checkpoint file gets its own fp32 copy here.
int trainInFloat32(torch::nn::Module &module);

} // namespace ts::layers
