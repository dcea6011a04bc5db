#include "model/nn/Autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace ts {

namespace {

bool isEnabled(c10::DeviceType device)
{
#if TORCH_VERSION_MAJOR >= 2
    return at::autocast::is_autocast_enabled(device);
#else
    return device == c10::DeviceType::CPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
}

void setEnabled(c10::DeviceType device, bool enabled)
{
#if TORCH_VERSION_MAJOR >= 2
    at::autocast::set_autocast_enabled(device, enabled);
#else
    if (device == c10::DeviceType::CPU)
        at::autocast::set_cpu_enabled(enabled);
    else
        at::autocast::set_enabled(enabled);
#endif
}

void setBf16(c10::DeviceType device)
{
#if TORCH_VERSION_MAJOR >= 2
    at::autocast::set_autocast_dtype(device, at::kBFloat16);
#else
    if (device == c10::DeviceType::CPU)
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    else
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
#endif
}

} // namespace

Autocast::Autocast(c10::DeviceType device, bool enable) : m_device(device), m_enabled(enable)
{
    if (!m_enabled)
        return;
    m_wasEnabled = isEnabled(m_device);
    setEnabled(m_device, true);
    setBf16(m_device);
}

bool Autocast::enabled(c10::DeviceType device)
{
    return isEnabled(device);
}

Autocast::~Autocast()
{
    if (!m_enabled)
        return;
    setEnabled(m_device, m_wasEnabled);
    // The bf16 copies of the weights are stale after the optimiser step: dropped when the
    // outermost guard ends.
    if (!m_wasEnabled)
        at::autocast::clear_cache();
}

} // namespace ts
