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
    /// Joins the run `context` describes: rank 0 hosts the store, every rank waits for the others
    /// (up to the timeout). Fails naming the address, the port and what to check.
    static Result<std::unique_ptr<DataParallelGroup>> connect(const DistributedContext &context);
    ~DataParallelGroup();

    const DistributedContext &context() const { return m_context; }
    int rank() const { return m_context.rank; }
    int worldSize() const { return m_context.worldSize; }

    /// Overwrites `tensors` (parameters, buffers) in place with rank 0's values.
    Status broadcast(const std::vector<torch::Tensor> &tensors);

    /// Starts summing `tensor` (CPU, contiguous, fp32 or fp64) over the ranks, in place, and
    /// returns at once; Gloo's threads carry it out. Every rank must start the same sums in the
    /// same order. The tensor must stay alive and untouched until waitForSums().
    Status startSum(const torch::Tensor &tensor);
    /// Returns when every sum started since the last call is complete.
    Status waitForSums();

    /// Every rank's `rows` (n_rank, columns; n may differ between ranks, columns not) one after
    /// the other in rank order, on every rank: fp64 rows stay fp64 (exact sums of losses), others
    /// travel as fp32.
    Result<torch::Tensor> gatherRows(const torch::Tensor &rows);

    /// Whether `value` is true on any rank (a cancel request seen by one rank stops them all).
    Result<bool> anyRank(bool value);

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
