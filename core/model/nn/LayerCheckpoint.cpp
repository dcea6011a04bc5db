#include "model/nn/LayerCheckpoint.h"

#include "model/nn/Autocast.h"

#include <ATen/Context.h>
#include <ATen/core/Generator.h>

#include <mutex>
#include <optional>

namespace ts {

namespace {

/// A generator's state, taken now and put back on request.
class GeneratorState
{
public:
    explicit GeneratorState(at::Generator generator) : m_generator(std::move(generator))
    {
        std::lock_guard<std::mutex> lock(m_generator.mutex());
        m_state = m_generator.get_state();
    }

    /// Sets the generator to the saved state; returns the state it had.
    torch::Tensor restore()
    {
        std::lock_guard<std::mutex> lock(m_generator.mutex());
        torch::Tensor current = m_generator.get_state();
        m_generator.set_state(m_state);
        return current;
    }

    /// Sets the generator to `state`.
    void set(const torch::Tensor &state)
    {
        std::lock_guard<std::mutex> lock(m_generator.mutex());
        m_generator.set_state(state);
    }

private:
    at::Generator m_generator;
    torch::Tensor m_state;
};

/// What backward needs to run the layer again as the forward pass did.
struct Recomputation : torch::CustomClassHolder
{
    LayerCheckpoint::Layer layer;
    std::optional<GeneratorState> cpu, device; // device: the input's CUDA generator, when on CUDA
    c10::DeviceType deviceType = c10::DeviceType::CPU;
    bool autocast = false;
};

struct CheckpointFunction : torch::autograd::Function<CheckpointFunction>
{
    /// anchor: an empty tensor that requires grad, so that backward runs even when x does not
    /// (LoRA: frozen embeddings feed the first layer, yet its adapters need gradients).
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x,
                                 const torch::Tensor &anchor, c10::intrusive_ptr<Recomputation> recomputation)
    {
        (void)anchor;
        recomputation->cpu.emplace(at::detail::getDefaultCPUGenerator());
        if (x.is_cuda())
            recomputation->device.emplace(at::globalContext().defaultGenerator(x.device()));
        recomputation->deviceType = x.device().type();
        recomputation->autocast = Autocast::enabled(x.device().type());
        ctx->save_for_backward({x});
        ctx->saved_data["recomputation"] = c10::IValue::make_capsule(recomputation);
        return recomputation->layer(x); // autograd is off here: no graph is kept
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list gradients)
    {
        auto recomputation = c10::static_intrusive_pointer_cast<Recomputation>(ctx->saved_data["recomputation"].toCapsule());
        const torch::Tensor input = ctx->get_saved_variables().at(0).detach().requires_grad_(true);
        const torch::Tensor cpuState = recomputation->cpu->restore();
        const torch::Tensor deviceState = recomputation->device ? recomputation->device->restore() : torch::Tensor();
        torch::Tensor output;
        {
            torch::AutoGradMode enable(true);
            Autocast autocast(recomputation->deviceType, recomputation->autocast);
            output = recomputation->layer(input);
        }
        recomputation->cpu->set(cpuState);
        if (recomputation->device)
            recomputation->device->set(deviceState);
        torch::autograd::backward({output}, {gradients.at(0)});
        return {input.grad(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor LayerCheckpoint::apply(Layer layer, const torch::Tensor &x)
{
    if (!torch::GradMode::is_enabled())
        return layer(x);
    auto recomputation = c10::make_intrusive<Recomputation>();
    recomputation->layer = std::move(layer);
    const torch::Tensor anchor = torch::empty({0}, x.options()).requires_grad_(true);
    return CheckpointFunction::apply(x, anchor, recomputation);
}

} // namespace ts
