#pragma once

namespace ts {

/// Training allocates and frees tensors of several MiB at every step (attention scores, the
/// feed-forward activations and their gradients). With glibc's default, adaptive thresholds the
/// allocator hands such blocks back to the kernel when they are freed and the next step faults
/// every page back in: 3.5 times the page faults of a Python loop on the same model, 5-10% of CPU
/// training time (measured with bench_training, one thread). Keeping freed memory in the heap
/// removes them, at the cost of up to kTrimThreshold bytes of freed memory kept resident.
class HeapTuning
{
public:
    /// Blocks at least this large are still mapped on their own (and unmapped when freed).
    static constexpr int kMmapThreshold = 32 << 20; // the most glibc accepts on 64-bit systems
    /// Freed memory at the top of the heap is returned to the kernel beyond this much.
    static constexpr int kTrimThreshold = 256 << 20;

    /// First thing in main(), before any thread starts: sets both thresholds (glibc's mallopt;
    /// nothing elsewhere). Returns false when the C library refused them or has no mallopt.
    static bool keepTensorMemory();
};

} // namespace ts
