#pragma once
// Includes torch: for core's torch folders only.

#include "model/nn/NamedTensors.h"
#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>

#include <memory>
#include <vector>

namespace ts {

/// A checkpoint's bytes: a safetensors image, never pickle. Tensors are named
/// "model.<name>" (the model's parameters and buffers), "extra<i>.<name>" (the objective's extra
/// modules), "optimizer.<group>.<index>.<field>" (AdamW's exp_avg, exp_avg_sq, max_exp_avg_sq and
/// step of the index-th parameter of the group-th parameter group, for parameters that have a state),
/// "selected.<name>" (the weights model selection keeps, when it keeps other ones than the
/// current), "rng.cpu" (the CPU generator's state, uint8) and, where CUDA is available, "rng.cuda" (device
/// 0's generator); the trainer's scalars ride as a JSON object in __metadata__ under
/// CheckpointStore::kStateKey. Restoring copies values bit for bit.
class CheckpointTensors
{
public:
    /// The checkpoint bytes of the current training state.
    /// The checkpoint bytes of the current training state; `selected` (names already carrying
    /// kSelectedPrefix) are the weights model selection keeps, stored beside the current ones.
    static Result<QByteArray> encode(const torch::nn::Module &model,
                                     const std::vector<std::shared_ptr<torch::nn::Module>> &extras,
                                     const torch::optim::Optimizer &optimizer, const QJsonObject &state,
                                     const NamedTensors &selected = {});
    /// Prefix of the selected weights' tensors ("selected.<name>", as "model.<name>").
    static constexpr const char *kSelectedPrefix = "selected.";
    /// `module`'s parameters and buffers, copied, named "<prefix><name>".
    static NamedTensors snapshot(const torch::nn::Module &module, const std::string &prefix);
    /// The tensors of checkpoint `bytes`, validated like a model file; they view `bytes` (read-only).
    /// `name` says which checkpoint in errors.
    static Result<NamedTensors> decode(const QByteArray &bytes, const QString &name);

    /// Copies the "<prefix><name>" tensors into `module`'s parameters and buffers: every one must be
    /// there with its shape and dtype, and no other tensor may carry the prefix. A bf16/fp16 weight
    /// (kept in its stored dtype) takes fp32 values by becoming fp32, and a fp32 one takes 16-bit
    /// values: both exactly.
    static Status restoreModule(torch::nn::Module &module, const NamedTensors &tensors, const std::string &prefix,
                                const QString &name);
    /// Copies every tensor of `tensors` (named as in `module`, no prefix) into `module`'s parameter or
    /// buffer of that name, which must exist with its shape and dtype (16-bit and fp32 weights mix as
    /// in restoreModule); the others keep their values (a finished run's kept weights on top of the base model).
    static Status restorePart(torch::nn::Module &module, const NamedTensors &tensors, const QString &name);
    /// Rebuilds AdamW's per-parameter state for `optimizer`, whose groups must match the saved ones.
    static Status restoreOptimizer(torch::optim::Optimizer &optimizer, const NamedTensors &tensors, const QString &name);
    /// Sets the CPU generator to the saved state.
    static Status restoreRng(const NamedTensors &tensors, const QString &name);
};

} // namespace ts
