#pragma once

// Includes torch: for core's torch folders only. The c10d and Gloo headers stay in the .cpp.
#include "distributed/DistributedContext.h"
#include "util/Result.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace ts {

/// The collectives of a data-parallel run over libtorch's c10d: a TCP store hosted by rank 0 for
/// the rendezvous and a Gloo process group (CPU tensors; CUDA tensors travel through host memory).
/// Every rank must call the same collectives in the same order. Each collective fails (rather
/// than hangs) when another rank died or did not answer within DistributedContext::timeoutSeconds.
/// Not thread-safe: the training thread owns it.
class DataParallelGroup
{
public:
    /// Gradients are summed in flattened buckets of about this many bytes (PyTorch DDP's default).
    static constexpr int64_t kBucketBytes = 25 * 1024 * 1024;

    /// Joins the run `context` describes: rank 0 hosts the store, every rank waits for the others
    /// (up to the timeout). Fails naming the address, the port and what to check.
    static Result<std::unique_ptr<DataParallelGroup>> connect(const DistributedContext &context);
    ~DataParallelGroup();

    const DistributedContext &context() const { return m_context; }
    int rank() const { return m_context.rank; }
    int worldSize() const { return m_context.worldSize; }

    /// Overwrites `tensors` (parameters, buffers) in place with rank 0's values.
    Status broadcast(const std::vector<torch::Tensor> &tensors);

    /// Sums the gradients of `parameters` over the ranks, and `loss` with them. Each rank scales
    /// its loss by its share of the global batch before backward, so the sums are the gradient and
    /// the loss of the whole batch. A parameter without a gradient on a rank counts as zero there;
    /// one without a gradient on every rank keeps none (AdamW then leaves it alone, as on one rank).
    Status reduceGradients(const std::vector<torch::Tensor> &parameters, double &loss);

    /// Whether `value` is true on any rank (a cancel request seen by one rank stops them all).
    Result<bool> anyRank(bool value);

    /// Overwrites `values` with rank 0's (same length on every rank): evaluation results, so that
    /// every rank takes the same early-stopping and model-selection decisions.
    Status broadcastValues(std::vector<double> &values);

    /// Returns when every rank has called it.
    Status barrier();

private:
    struct Impl;
    DataParallelGroup(const DistributedContext &context, std::unique_ptr<Impl> impl);
    /// The failure of a collective as a message naming this rank and the timeout.
    QString describe(const char *what, const std::exception &error) const;

    DistributedContext m_context;
    std::unique_ptr<Impl> d;
};

} // namespace ts
