#include "train/FusedAdamW.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <cstdlib>
#include <cstring>
#include <map>

namespace ts {

#if TORCH_VERSION_MAJOR >= 2
namespace {

bool disabledByEnvironment()
{
    const char *choice = std::getenv("TS_ADAMW");
    return choice && std::strcmp(choice, "plain") == 0;
}

/// Whether every parameter with a gradient can go through the fused kernel.
bool applies(torch::optim::AdamW &optimizer)
{
    for (const auto &group : optimizer.param_groups()) {
        if (static_cast<const torch::optim::AdamWOptions &>(group.options()).amsgrad())
            return false;
        for (const torch::Tensor &p : group.params()) {
            if (p.grad().defined() && (!p.is_cuda() || p.scalar_type() != torch::kFloat))
                return false;
        }
    }
    return true;
}

} // namespace
#endif

bool FusedAdamW::step(torch::optim::AdamW &optimizer)
{
#if TORCH_VERSION_MAJOR >= 2
    if (disabledByEnvironment() || !applies(optimizer))
        return false;
    torch::NoGradGuard noGrad;
    // The tensors of one kernel call: parameters that have taken the same number of steps share
    // one step-count tensor (a parameter only counts the steps in which it had a gradient).
    struct Lists
    {
        std::vector<torch::Tensor> params, grads, expAvgs, expAvgSqs;
    };
    for (auto &group : optimizer.param_groups()) {
        const auto &options = static_cast<const torch::optim::AdamWOptions &>(group.options());
        std::map<int64_t, Lists> byStep;
        for (const torch::Tensor &p : group.params()) {
            if (!p.grad().defined())
                continue;
            auto &slot = optimizer.state()[p.unsafeGetTensorImpl()];
            if (!slot) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
                slot = std::move(fresh);
            }
            auto &state = static_cast<torch::optim::AdamWParamState &>(*slot);
            state.step(state.step() + 1);
            Lists &lists = byStep[state.step()];
            lists.params.push_back(p);
            lists.grads.push_back(p.grad());
            lists.expAvgs.push_back(state.exp_avg());
            lists.expAvgSqs.push_back(state.exp_avg_sq());
        }
        for (const auto &[count, lists] : byStep) {
            // A fill on the device: no host-to-device copy. The kernel only reads it.
            const torch::Tensor stepCount = torch::full({}, double(count), lists.params.front().options());
            const std::vector<torch::Tensor> steps(lists.params.size(), stepCount);
            at::_fused_adamw_(lists.params, lists.grads, lists.expAvgs, lists.expAvgSqs, {}, steps, options.lr(),
                              std::get<0>(options.betas()), std::get<1>(options.betas()), options.weight_decay(),
                              options.eps(), /*amsgrad=*/false, /*maximize=*/false);
        }
    }
    return true;
#else
    (void)optimizer;
    return false;
#endif
}

} // namespace ts
