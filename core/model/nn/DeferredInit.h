#pragma once
// Includes torch: not for ui/ or the CLI.

#include <torch/torch.h>

#include <functional>
#include <vector>

namespace ts {

/// While one is alive on this thread, the weight builders of layers:: (linear, embedding, normal)
/// register placeholders instead of allocating and initialising weights: tensors of the right shape
/// whose storage is one element (all strides 0). ModelLoader replaces them with the checkpoint's
/// tensors (a view of the mapped file, or one converted copy), so a model loaded in its stored dtype
/// never holds fp32 storage for weights that are about to be replaced. materialise() initialises
/// the placeholders nothing replaced (a fresh head), in the order they were made.
/// Not thread-safe; scopes nest (the innermost is active).
class DeferredInit
{
public:
    /// Initial values of a placeholder: a fp32 tensor of its shape.
    using Initialiser = std::function<torch::Tensor()>;

    DeferredInit();
    ~DeferredInit();
    DeferredInit(const DeferredInit &) = delete;
    DeferredInit &operator=(const DeferredInit &) = delete;

    /// The scope active on this thread, or null.
    static DeferredInit *active();

    /// A fp32 placeholder of `shape`, initialised by `init` in materialise() unless replaced first.
    /// Register the returned tensor itself as the parameter (it is the one materialise() fills).
    torch::Tensor placeholder(torch::IntArrayRef shape, Initialiser init);

    /// Makes the registered `parameter` a placeholder of `shape` (set_data), like placeholder().
    void defer(torch::Tensor parameter, torch::IntArrayRef shape, Initialiser init);

    /// Whether `tensor` still has the storage of one of this scope's placeholders.
    bool isPlaceholder(const torch::Tensor &tensor) const;

    /// Gives every placeholder that was not replaced its initial values (set_data: the registered
    /// parameters stay the same tensors); returns how many.
    int materialise();

private:
    struct Entry
    {
        torch::Tensor tensor;  // shares its TensorImpl with the registered parameter
        const void *storage;   // the placeholder's storage, to tell whether it was replaced
        Initialiser init;
    };

    std::vector<Entry> m_entries;
    DeferredInit *m_previous = nullptr;
};

} // namespace ts
