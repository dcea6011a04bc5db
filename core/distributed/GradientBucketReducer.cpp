#include "distributed/GradientBucketReducer.h"

#include <chrono>

namespace ts {

namespace {

/// `tensor` as a flat CPU fp32 vector.
torch::Tensor hostFloat(const torch::Tensor &tensor)
{
    return tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous().view(-1);
}

bool sameTensors(const std::vector<torch::Tensor> &a, const std::vector<torch::Tensor> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_same(b[i]))
            return false;
    }
    return true;
}

} // namespace

GradientBucketReducer::GradientBucketReducer(DataParallelGroup &group, int64_t bucketBytes)
    : m_group(group), m_bucketBytes(std::max<int64_t>(1, bucketBytes))
{
}

GradientBucketReducer::~GradientBucketReducer()
{
    removeHooks();
}

void GradientBucketReducer::removeHooks()
{
    for (size_t i = 0; i < m_hooks.size(); ++i)
        m_parameters[i].remove_hook(m_hooks[i]);
    m_hooks.clear();
}

void GradientBucketReducer::layOut()
{
    m_buckets.clear();
    m_bucketOf.assign(m_parameters.size(), 0);
    m_offsetOf.assign(m_parameters.size(), 0);
    Bucket bucket;
    int64_t elements = 0;
    int64_t capacity = std::min(kFirstBucketBytes, m_bucketBytes);
    // Backward reaches the last layers first: the buckets take the parameters from the end.
    for (size_t k = m_parameters.size(); k-- > 0;) {
        m_bucketOf[k] = m_buckets.size();
        m_offsetOf[k] = elements;
        bucket.members.push_back(k);
        elements += m_parameters[k].numel();
        if (elements * int64_t(sizeof(float)) >= capacity || k == 0) {
            bucket.flat = torch::empty({elements}, torch::kFloat32);
            m_buckets.push_back(std::move(bucket));
            bucket = Bucket();
            elements = 0;
            capacity = m_bucketBytes;
        }
    }
    for (size_t i = 0; i < m_parameters.size(); ++i)
        m_hooks.push_back(m_parameters[i].register_hook([this, i](const torch::Tensor &incoming) { onGradient(i, incoming); }));
}

void GradientBucketReducer::expectGradients(const std::vector<torch::Tensor> &parameters)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!sameTensors(parameters, m_parameters)) {
        removeHooks();
        m_parameters = parameters;
        layOut();
    }
    m_arrived.assign(m_parameters.size(), false);
    for (Bucket &bucket : m_buckets) {
        bucket.waiting = bucket.members.size();
        bucket.started = false;
    }
    m_nextBucket = 0;
    m_failure = Status();
    m_armed = true;
}

torch::Tensor GradientBucketReducer::sliceOf(size_t index)
{
    return m_buckets[m_bucketOf[index]].flat.slice(0, m_offsetOf[index], m_offsetOf[index] + m_parameters[index].numel());
}

void GradientBucketReducer::onGradient(size_t index, const torch::Tensor &incoming)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_armed || m_arrived[index] || !incoming.defined())
        return;
    torch::NoGradGuard noGrad;
    // The hook runs before autograd adds `incoming` to the gradient that earlier micro-batches
    // accumulated; old + new here is the value the gradient is about to take (same rounding).
    const torch::Tensor &accumulated = m_parameters[index].grad();
    sliceOf(index).copy_(accumulated.defined() ? hostFloat(accumulated + incoming) : hostFloat(incoming));
    m_arrived[index] = true;
    Bucket &bucket = m_buckets[m_bucketOf[index]];
    if (--bucket.waiting == 0) {
        const size_t before = m_nextBucket;
        startCompleteBuckets();
        m_startedInBackward += int64_t(m_nextBucket - before);
    }
}

void GradientBucketReducer::startCompleteBuckets()
{
    while (m_nextBucket < m_buckets.size() && m_buckets[m_nextBucket].waiting == 0)
        start(m_buckets[m_nextBucket++]);
}

void GradientBucketReducer::start(Bucket &bucket)
{
    bucket.started = true;
    if (const Status s = m_group.startSum(bucket.flat); !s && m_failure)
        m_failure = s;
}

Status GradientBucketReducer::finish(double &loss)
{
    const auto began = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(m_mutex);
    m_armed = false;
    torch::NoGradGuard noGrad;
    // Parameters whose hook did not fire: what earlier micro-batches accumulated, else zeros.
    for (size_t b = m_nextBucket; b < m_buckets.size(); ++b) {
        for (size_t i : m_buckets[b].members) {
            if (m_arrived[i])
                continue;
            const torch::Tensor &grad = m_parameters[i].grad();
            if (grad.defined())
                sliceOf(i).copy_(hostFloat(grad));
            else
                sliceOf(i).zero_();
        }
        m_buckets[b].waiting = 0;
    }
    startCompleteBuckets();
    // (parameters + 1) fp64: 1 where this rank has a gradient, then the loss; started last.
    const size_t count = m_parameters.size();
    torch::Tensor header = torch::zeros({int64_t(count) + 1}, torch::kFloat64);
    auto flags = header.accessor<double, 1>();
    for (size_t i = 0; i < count; ++i)
        flags[int64_t(i)] = m_parameters[i].grad().defined() ? 1.0 : 0.0;
    flags[int64_t(count)] = loss;
    if (const Status s = m_group.startSum(header); !s && m_failure)
        m_failure = s;
    const Status waited = m_group.waitForSums();
    if (!m_failure)
        return m_failure;
    if (!waited)
        return waited;
    loss = flags[int64_t(count)];
    for (size_t i = 0; i < count; ++i) {
        if (flags[int64_t(i)] == 0.0)
            continue;
        torch::Tensor &p = m_parameters[i];
        const torch::Tensor summed = sliceOf(i).view(p.sizes());
        if (p.grad().defined())
            p.mutable_grad().copy_(summed);
        else
            p.mutable_grad() = summed.to(p.device(), p.scalar_type()).clone();
    }
    ++m_steps;
    m_exposedSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    return {};
}

} // namespace ts
