#pragma once

// Includes torch: for core's torch folders only.
#include "distributed/DataParallelGroup.h"
#include "util/Result.h"

#include <torch/torch.h>

#include <mutex>
#include <vector>

namespace ts {

/// Sums the gradients of a data-parallel step over the ranks while backward still runs, as
/// PyTorch's DDP does: the trainable parameters are laid out in flat fp32 buckets in reverse order
/// (the order backward produces their gradients; the first bucket small so that it starts early),
/// a hook on each parameter copies its gradient into its bucket, and a bucket whose gradients are
/// all there starts its all-reduce at once (asynchronously, on Gloo's threads). Buckets start in
/// bucket order on every rank, so the ranks' collectives match whatever order their hooks fire
/// in. finish() starts the buckets still open, with zeros for the parameters that got no gradient
/// on this rank (frozen layers, a domain head some batches skip), then waits for all of them.
/// The hooks live as long as this object. Not thread-safe beyond what backward needs (its hooks
/// may run on autograd's device threads while the training thread waits in backward).
class GradientBucketReducer
{
public:
    /// Bytes of the first bucket at most (DDP's first bucket): its all-reduce starts after the
    /// head's gradients, not after a quarter of the model's.
    static constexpr int64_t kFirstBucketBytes = 1024 * 1024;

    /// `bucketBytes`: the size of every bucket after the first (DistributedContext::bucketBytes).
    GradientBucketReducer(DataParallelGroup &group, int64_t bucketBytes);
    ~GradientBucketReducer();
    GradientBucketReducer(const GradientBucketReducer &) = delete;
    GradientBucketReducer &operator=(const GradientBucketReducer &) = delete;

    /// Call before the last backward of a step (gradient accumulation: the earlier ones only
    /// accumulate locally). `parameters`: those trained now, in the same order on every rank; a
    /// new set (gradual unfreezing) lays the buckets out anew.
    void expectGradients(const std::vector<torch::Tensor> &parameters);

    /// After the step's backward passes: starts the buckets still open, waits for every sum and
    /// writes the sums into the gradients, and sums `loss` with them. A parameter without a
    /// gradient on every rank keeps none (AdamW then leaves it alone, as on one rank).
    Status finish(double &loss);

    /// Seconds finish() waited in all, the part of the all-reduce not hidden behind backward.
    double exposedSeconds() const { return m_exposedSeconds; }
    /// Steps finished.
    int64_t steps() const { return m_steps; }
    /// Buckets whose sums started while backward still ran, over all steps.
    int64_t bucketsStartedInBackward() const { return m_startedInBackward; }
    /// Buckets of the current layout.
    size_t bucketCount() const { return m_buckets.size(); }

private:
    struct Bucket
    {
        std::vector<size_t> members; // indices into m_parameters
        torch::Tensor flat;          // (sum of their numel) fp32 on the CPU
        size_t waiting = 0;          // members whose gradient has not arrived in this step
        bool started = false;
    };

    /// Lays out the buckets of m_parameters and hooks each one.
    void layOut();
    void removeHooks();
    /// The hook of parameter `index`: `incoming` is about to be added to its gradient.
    void onGradient(size_t index, const torch::Tensor &incoming);
    /// Starts the open buckets in order while the next one is complete.
    void startCompleteBuckets();
    void start(Bucket &bucket);
    /// Parameter `index`'s slice of its bucket.
    torch::Tensor sliceOf(size_t index);

    DataParallelGroup &m_group;
    int64_t m_bucketBytes;
    std::vector<torch::Tensor> m_parameters;
    std::vector<unsigned> m_hooks;      // handle of each parameter's hook
    std::vector<size_t> m_bucketOf;    // per parameter
    std::vector<int64_t> m_offsetOf;    // per parameter, in its bucket
    std::vector<bool> m_arrived;        // per parameter, in this step
    std::vector<Bucket> m_buckets;
    size_t m_nextBucket = 0;            // the first bucket not started
    bool m_armed = false;               // between expectGradients() and finish()
    Status m_failure;                   // the first failure to start a sum inside a hook
    std::mutex m_mutex;
    double m_exposedSeconds = 0.0;
    int64_t m_steps = 0;
    int64_t m_startedInBackward = 0;
};

} // namespace ts
