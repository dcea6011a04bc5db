#include "distributed/DataParallelGroup.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>

namespace ts {

struct DataParallelGroup::Impl
{
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
    std::vector<c10::intrusive_ptr<c10d::Work>> pending; // sums started, not yet waited for
};

namespace {

// Gloo's worker threads per process group (its default); the collectives are small next to a step.
constexpr int kGlooThreads = 2;

} // namespace

DataParallelGroup::DataParallelGroup(const DistributedContext &context, std::unique_ptr<Impl> impl)
    : m_context(context), d(std::move(impl))
{
}

DataParallelGroup::~DataParallelGroup() = default;

Result<std::unique_ptr<DataParallelGroup>> DataParallelGroup::connect(const DistributedContext &context)
{
    using R = Result<std::unique_ptr<DataParallelGroup>>;
    const std::chrono::milliseconds timeout(int64_t(context.timeoutSeconds) * 1000);
    auto impl = std::make_unique<Impl>();
    try {
        c10d::TCPStoreOptions options;
        options.port = uint16_t(context.masterPort);
        options.isServer = context.rank == 0;
        options.numWorkers = size_t(context.worldSize);
        options.waitWorkers = true;
        options.timeout = timeout;
        impl->store = c10::make_intrusive<c10d::TCPStore>(context.masterAddress.toStdString(), options);
        auto glooOptions = c10d::ProcessGroupGloo::Options::create(timeout);
        // The interface that reaches the master reaches the other ranks (loopback for a local launch).
        glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        glooOptions->threads = kGlooThreads;
        impl->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, context.rank, context.worldSize,
                                                                  glooOptions);
    } catch (const std::exception &e) {
        return R::failure(QStringLiteral("rank %1 of %2 could not join the data-parallel run at %3:%4 within %5 s (%6); "
                                         "check that every rank was started with the same %7 and %8 and that the port "
                                         "is free on the first host")
                              .arg(context.rank)
                              .arg(context.worldSize)
                              .arg(context.masterAddress)
                              .arg(context.masterPort)
                              .arg(context.timeoutSeconds)
                              .arg(QString::fromStdString(e.what()).section(QLatin1Char('\n'), 0, 0),
                                   QLatin1String(DistributedContext::kMasterAddressVariable),
                                   QLatin1String(DistributedContext::kMasterPortVariable)));
    }
    return std::unique_ptr<DataParallelGroup>(new DataParallelGroup(context, std::move(impl)));
}

QString DataParallelGroup::describe(const char *what, const std::exception &error) const
{
    return QStringLiteral("rank %1 of %2: the %3 across ranks failed: another rank stopped or did not answer within "
                          "%4 s (%5); the run stays resumable from its last checkpoint")
        .arg(m_context.rank)
        .arg(m_context.worldSize)
        .arg(QLatin1String(what))
        .arg(m_context.timeoutSeconds)
        .arg(QString::fromStdString(error.what()).section(QLatin1Char('\n'), 0, 0));
}

Status DataParallelGroup::broadcast(const std::vector<torch::Tensor> &tensors)
{
    torch::NoGradGuard noGrad;
    try {
        for (const torch::Tensor &tensor : tensors) {
            // The tensor itself when it is on the CPU and contiguous, else a host copy written back.
            std::vector<torch::Tensor> buffer{tensor.detach().to(torch::kCPU).contiguous()};
            d->group->broadcast(buffer)->wait();
            if (buffer[0].data_ptr() != tensor.data_ptr())
                tensor.detach().copy_(buffer[0]);
        }
    } catch (const std::exception &e) {
        return Status::failure(describe("broadcast of the parameters", e));
    }
    return {};
}

Status DataParallelGroup::startSum(const torch::Tensor &tensor)
{
    std::vector<torch::Tensor> io{tensor};
    try {
        d->pending.push_back(d->group->allreduce(io));
    } catch (const std::exception &e) {
        return Status::failure(describe("sum of the gradients", e));
    }
    return {};
}

Status DataParallelGroup::waitForSums()
{
    std::vector<c10::intrusive_ptr<c10d::Work>> pending;
    pending.swap(d->pending);
    try {
        for (auto &work : pending)
            work->wait();
    } catch (const std::exception &e) {
        return Status::failure(describe("sum of the gradients", e));
    }
    return {};
}

Result<torch::Tensor> DataParallelGroup::gatherRows(const torch::Tensor &rows)
{
    using R = Result<torch::Tensor>;
    torch::NoGradGuard noGrad;
    const auto type = rows.scalar_type() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
    const torch::Tensor mine = rows.detach().to(torch::kCPU, type).contiguous();
    // Gloo gathers equal shapes: first every rank's row count, then the rows padded to the largest.
    std::vector<torch::Tensor> counts{torch::zeros({worldSize()}, torch::kFloat64)};
    counts[0][rank()] = double(mine.size(0));
    try {
        d->group->allreduce(counts)->wait();
        const auto n = counts[0].accessor<double, 1>();
        int64_t largest = 0;
        for (int r = 0; r < worldSize(); ++r)
            largest = std::max(largest, int64_t(n[r]));
        std::vector<torch::Tensor> padded{torch::zeros({largest, mine.size(1)}, type)};
        padded[0].slice(0, 0, mine.size(0)).copy_(mine);
        std::vector<std::vector<torch::Tensor>> gathered(1);
        for (int r = 0; r < worldSize(); ++r)
            gathered[0].push_back(torch::empty_like(padded[0]));
        d->group->allgather(gathered, padded)->wait();
        std::vector<torch::Tensor> parts;
        for (int r = 0; r < worldSize(); ++r)
            parts.push_back(gathered[0][size_t(r)].slice(0, 0, int64_t(n[r])));
        return torch::cat(parts);
    } catch (const std::exception &e) {
        return R::failure(describe("gathering of the evaluation", e));
    }
}

Result<bool> DataParallelGroup::anyRank(bool value)
{
    std::vector<torch::Tensor> flag{torch::full({1}, value ? 1.0f : 0.0f)};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::MAX;
    try {
        d->group->allreduce(flag, options)->wait();
    } catch (const std::exception &e) {
        return Result<bool>::failure(describe("agreement on stopping", e));
    }
    return flag[0].item<float>() > 0.0f;
}

Status DataParallelGroup::barrier()
{
    try {
        d->group->barrier()->wait();
    } catch (const std::exception &e) {
        return Status::failure(describe("barrier", e));
    }
    return {};
}

} // namespace ts
