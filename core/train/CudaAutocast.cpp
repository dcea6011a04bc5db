#include "train/CudaAutocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace ts {

CudaAutocast::CudaAutocast(bool enable) : m_enabled(enable)
{
    if (!m_enabled)
        return;
#if TORCH_VERSION_MAJOR >= 2
    at::autocast::set_autocast_enabled(at::kCUDA, true);
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
#else
    at::autocast::set_enabled(true);
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
#endif
}

CudaAutocast::~CudaAutocast()
{
    if (!m_enabled)
        return;
#if TORCH_VERSION_MAJOR >= 2
    at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
    at::autocast::set_enabled(false);
#endif
    at::autocast::clear_cache();
}

} // namespace ts
