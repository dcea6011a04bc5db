#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

#include <map>
#include <string>

namespace ts {

/// Tensors by Hugging Face name, sorted (what safetensors files hold and export writes).
using NamedTensors = std::map<std::string, torch::Tensor>;

} // namespace ts
