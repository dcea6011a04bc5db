#include "model/nn/DeferredInit.h"

namespace ts {

namespace {

thread_local DeferredInit *t_active = nullptr;

} // namespace

DeferredInit::DeferredInit() : m_previous(t_active)
{
    t_active = this;
}

DeferredInit::~DeferredInit()
{
    t_active = m_previous;
}

DeferredInit *DeferredInit::active()
{
    return t_active;
}

torch::Tensor DeferredInit::placeholder(torch::IntArrayRef shape, Initialiser init)
{
    // Strides 0: every element is the one stored value, so the storage holds a single float.
    torch::Tensor tensor = torch::empty_strided(shape, std::vector<int64_t>(shape.size(), 0));
    m_entries.push_back({tensor, tensor.storage().data(), std::move(init)});
    return tensor;
}

void DeferredInit::defer(torch::Tensor parameter, torch::IntArrayRef shape, Initialiser init)
{
    torch::NoGradGuard noGrad;
    parameter.set_data(torch::empty_strided(shape, std::vector<int64_t>(shape.size(), 0)));
    m_entries.push_back({parameter, parameter.storage().data(), std::move(init)});
}

bool DeferredInit::isPlaceholder(const torch::Tensor &tensor) const
{
    if (!tensor.defined() || !tensor.has_storage())
        return false;
    const void *storage = tensor.storage().data();
    for (const Entry &entry : m_entries) {
        if (entry.storage == storage)
            return true;
    }
    return false;
}

int DeferredInit::materialise()
{
    torch::NoGradGuard noGrad;
    int count = 0;
    for (Entry &entry : m_entries) {
        if (entry.tensor.storage().data() != entry.storage)
            continue;
        entry.tensor.set_data(entry.init());
        ++count;
    }
    m_entries.clear();
    return count;
}

} // namespace ts
