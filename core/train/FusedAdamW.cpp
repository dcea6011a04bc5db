#include "train/FusedAdamW.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>

namespace ts {

namespace {

using torch::optim::AdamWOptions;
using torch::optim::AdamWParamState;

bool disabledByEnvironment()
{
    const char *choice = std::getenv("TS_ADAMW");
    return choice && std::strcmp(choice, "plain") == 0;
}

enum class Path { None, Cuda, Cpu };

bool onCpu(const torch::Tensor &p)
{
    return p.is_cpu() && p.scalar_type() == torch::kFloat && p.is_contiguous() &&
           p.grad().scalar_type() == torch::kFloat;
}

/// The path every parameter with a gradient can take, or None.
Path pathOf(torch::optim::AdamW &optimizer)
{
    bool cuda = false, cpu = false;
    for (const auto &group : optimizer.param_groups()) {
        if (static_cast<const AdamWOptions &>(group.options()).amsgrad())
            return Path::None;
        for (const torch::Tensor &p : group.params()) {
            if (!p.grad().defined())
                continue;
            const bool cudaFloat = p.is_cuda() && p.scalar_type() == torch::kFloat && TORCH_VERSION_MAJOR >= 2;
            const bool cpuFloat = onCpu(p);
            if (!cudaFloat && !cpuFloat)
                return Path::None;
            cuda = cuda || cudaFloat;
            cpu = cpu || cpuFloat;
        }
    }
    if (cuda == cpu) // both (mixed devices), or no gradient at all
        return Path::None;
    return cuda ? Path::Cuda : Path::Cpu;
}

/// p's state in `optimizer`, created as torch::optim::AdamW creates it on a first step.
AdamWParamState &stateOf(torch::optim::AdamW &optimizer, const torch::Tensor &p)
{
#if TORCH_VERSION_MAJOR >= 2
    auto &slot = optimizer.state()[p.unsafeGetTensorImpl()];
#else
    auto &slot = optimizer.state()[c10::guts::to_string(p.unsafeGetTensorImpl())];
#endif
    if (!slot) {
        auto fresh = std::make_unique<AdamWParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        slot = std::move(fresh);
    }
    return static_cast<AdamWParamState &>(*slot);
}

/// The scalars of one parameter's update, in float as libtorch's CPU kernels use them.
struct CpuCoefficients
{
    float decay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, sqrtCorrection2, eps, negativeStepSize;
};

/// torch::optim::AdamW's arithmetic, element by element and in its order (this file is compiled
/// with -fno-math-errno so that the loop vectorises, sqrt included).
void updateCpu(float *p, const float *g, float *m, float *v, int64_t n, const CpuCoefficients &c)
{
    at::parallel_for(0, n, 1 << 15, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const float value = p[i] * c.decay;
            const float mean = m[i] * c.beta1 + c.oneMinusBeta1 * g[i];
            const float square = v[i] * c.beta2 + c.oneMinusBeta2 * g[i] * g[i];
            const float denominator = std::sqrt(square) / c.sqrtCorrection2 + c.eps;
            p[i] = value + c.negativeStepSize * (mean / denominator);
            m[i] = mean;
            v[i] = square;
        }
    });
}

void stepCpu(torch::optim::AdamW &optimizer)
{
    for (auto &group : optimizer.param_groups()) {
        const auto &options = static_cast<const AdamWOptions &>(group.options());
        const auto [beta1, beta2] = options.betas();
        for (const torch::Tensor &p : group.params()) {
            if (!p.grad().defined())
                continue;
            AdamWParamState &state = stateOf(optimizer, p);
            state.step(state.step() + 1);
            const double correction1 = 1.0 - std::pow(beta1, double(state.step()));
            const double correction2 = 1.0 - std::pow(beta2, double(state.step()));
            const CpuCoefficients c{float(1.0 - options.lr() * options.weight_decay()),
                                    float(beta1),
                                    float(1.0 - beta1),
                                    float(beta2),
                                    float(1.0 - beta2),
                                    float(std::sqrt(correction2)),
                                    float(options.eps()),
                                    float(-options.lr() / correction1)};
            const torch::Tensor grad = p.grad().contiguous();
            updateCpu(p.data_ptr<float>(), grad.data_ptr<float>(), state.exp_avg().data_ptr<float>(),
                      state.exp_avg_sq().data_ptr<float>(), p.numel(), c);
        }
    }
}

#if TORCH_VERSION_MAJOR >= 2
void stepCuda(torch::optim::AdamW &optimizer)
{
    // The tensors of one kernel call: parameters that have taken the same number of steps share
    // one step-count tensor (a parameter only counts the steps in which it had a gradient).
    struct Lists
    {
        std::vector<torch::Tensor> params, grads, expAvgs, expAvgSqs;
    };
    for (auto &group : optimizer.param_groups()) {
        const auto &options = static_cast<const AdamWOptions &>(group.options());
        std::map<int64_t, Lists> byStep;
        for (const torch::Tensor &p : group.params()) {
            if (!p.grad().defined())
                continue;
            AdamWParamState &state = stateOf(optimizer, p);
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
}
#endif

} // namespace

bool FusedAdamW::step(torch::optim::AdamW &optimizer)
{
    if (disabledByEnvironment())
        return false;
    const Path path = pathOf(optimizer);
    if (path == Path::None)
        return false;
    torch::NoGradGuard noGrad;
#if TORCH_VERSION_MAJOR >= 2
    if (path == Path::Cuda) {
        stepCuda(optimizer);
        return true;
    }
#endif
    stepCpu(optimizer);
    return true;
}

} // namespace ts
