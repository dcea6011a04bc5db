#include "distributed/DataParallelGroup.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>

namespace ts {

struct DataParallelGroup::Impl
{
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

namespace {

// Gloo's worker threads per process group (its default); the collectives are small next to a step.
constexpr int kGlooThreads = 2;

/// `tensor` as a CPU fp32 vector for Gloo.
torch::Tensor hostFloat(const torch::Tensor &tensor)
{
    return tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous().view(-1);
}

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

Status DataParallelGroup::reduceGradients(const std::vector<torch::Tensor> &parameters, double &loss)
{
    torch::NoGradGuard noGrad;
    // (parameters + 1): 1 where the rank has a gradient, then the loss; summed as fp64.
    torch::Tensor header = torch::zeros({int64_t(parameters.size()) + 1}, torch::kFloat64);
    auto flags = header.accessor<double, 1>();
    for (size_t i = 0; i < parameters.size(); ++i)
        flags[int64_t(i)] = parameters[i].grad().defined() ? 1.0 : 0.0;
    flags[int64_t(parameters.size())] = loss;
    // Buckets of consecutive parameters, each one flat fp32 vector (absent gradients as zeros).
    std::vector<std::pair<size_t, size_t>> ranges; // [first, last) parameter of each bucket
    std::vector<torch::Tensor> buckets;
    for (size_t first = 0; first < parameters.size();) {
        size_t last = first;
        int64_t bytes = 0;
        std::vector<torch::Tensor> parts;
        while (last < parameters.size() && (parts.empty() || bytes < kBucketBytes)) {
            const torch::Tensor &p = parameters[last];
            parts.push_back(p.grad().defined() ? hostFloat(p.grad()) : torch::zeros({p.numel()}, torch::kFloat32));
            bytes += p.numel() * int64_t(sizeof(float));
            ++last;
        }
        buckets.push_back(torch::cat(parts));
        ranges.emplace_back(first, last);
        first = last;
    }
    try {
        std::vector<c10::intrusive_ptr<c10d::Work>> pending;
        std::vector<std::vector<torch::Tensor>> io;
        io.reserve(buckets.size() + 1);
        io.push_back({header});
        for (const torch::Tensor &bucket : buckets)
            io.push_back({bucket});
        // All buckets in flight at once; Gloo's threads work through them while this one waits.
        for (auto &tensors : io)
            pending.push_back(d->group->allreduce(tensors));
        for (auto &work : pending)
            work->wait();
    } catch (const std::exception &e) {
        return Status::failure(describe("sum of the gradients", e));
    }
    loss = flags[int64_t(parameters.size())];
    for (size_t b = 0; b < buckets.size(); ++b) {
        int64_t offset = 0;
        for (size_t i = ranges[b].first; i < ranges[b].second; ++i) {
            const torch::Tensor &p = parameters[i];
            const int64_t n = p.numel();
            if (flags[int64_t(i)] > 0.0) {
                const torch::Tensor summed = buckets[b].slice(0, offset, offset + n).view(p.sizes());
                if (p.grad().defined())
                    p.mutable_grad().copy_(summed);
                else
                    p.mutable_grad() = summed.to(p.device(), p.scalar_type()).clone();
            }
            offset += n;
        }
    }
    return {};
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

Status DataParallelGroup::broadcastValues(std::vector<double> &values)
{
    if (values.empty())
        return {};
    std::vector<torch::Tensor> buffer{torch::from_blob(values.data(), {int64_t(values.size())}, torch::kFloat64)};
    try {
        d->group->broadcast(buffer)->wait();
    } catch (const std::exception &e) {
        return Status::failure(describe("broadcast of the evaluation", e));
    }
    return {};
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
