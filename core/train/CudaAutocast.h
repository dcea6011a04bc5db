#pragma once
// Includes torch: for core's torch folders only.

namespace ts {

/// bf16 autocast on CUDA for the lifetime of the object (libtorch 1.13 and 2.x spell it
/// differently); does nothing when constructed with false.
class CudaAutocast
{
public:
    explicit CudaAutocast(bool enable);
    ~CudaAutocast();
    CudaAutocast(const CudaAutocast &) = delete;
    CudaAutocast &operator=(const CudaAutocast &) = delete;

private:
    bool m_enabled;
};

} // namespace ts
