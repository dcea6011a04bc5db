#pragma once
// Includes torch: for core's torch folders only (in model/nn: layer checkpointing recomputes under it too).

#include <c10/core/Device.h>

namespace ts {

/// bf16 autocast on a device type (CUDA or CPU) for the lifetime of the object, as Python's
/// `torch.autocast(device_type, dtype=torch.bfloat16)`: matrix products run in bf16 on fp32
/// weights, whose bf16 copies are cached until the outermost guard ends. libtorch 1.13 and 2.x
/// spell it differently. Does nothing when constructed with `enable` false. Thread-local, as
/// autocast itself.
class Autocast
{
public:
    Autocast(c10::DeviceType device, bool enable);
    ~Autocast();
    Autocast(const Autocast &) = delete;

    /// Whether bf16 autocast is on for `device` on this thread.
    static bool enabled(c10::DeviceType device);
    Autocast &operator=(const Autocast &) = delete;

private:
    c10::DeviceType m_device;
    bool m_enabled;
    bool m_wasEnabled = false; // the state before, put back by the destructor
};

} // namespace ts
