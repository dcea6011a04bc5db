#include "train/CheckpointTensors.h"

#include "model/nn/ModelLoader.h"
#include "model/nn/SafeTensorsWriter.h"
#include "train/CheckpointStore.h"

#include <QJsonDocument>
#include <QStringList>

#include <set>
#include <sstream>
#include <type_traits>

namespace ts {

namespace {

const std::string kModelPrefix = "model.";
const std::string kOptimizerPrefix = "optimizer.";
const std::string kRngName = "rng.cpu";
const std::string kCudaRngName = "rng.cuda"; // CUDA device 0's generator (dropout on the GPU)
const char *const kMomentFields[] = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
constexpr size_t kMaxMoment = 2; // max_exp_avg_sq: AdamW keeps it only with amsgrad
constexpr int kMaxListed = 5; // names listed in an error before "..."

/// The key under which `optimizer.state()` holds parameter `p`'s state: the TensorImpl pointer
/// printed as c10::guts::to_string does (libtorch 1.x), or the pointer itself (libtorch 2.x).
template <typename State>
auto stateKey(const State &, const torch::Tensor &p)
{
    using Key = std::decay_t<decltype(std::declval<State>().begin()->first)>;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream key;
        key << p.unsafeGetTensorImpl();
        return key.str();
    } else {
        return static_cast<Key>(p.unsafeGetTensorImpl());
    }
}

std::string optimizerName(size_t group, size_t index, const char *field)
{
    return kOptimizerPrefix + std::to_string(group) + "." + std::to_string(index) + "." + field;
}

QString listed(const QStringList &names)
{
    return names.mid(0, kMaxListed).join(QStringLiteral(", ")) +
           (names.size() > kMaxListed ? QStringLiteral(", ...") : QString());
}

bool isHalf(const torch::Tensor &t)
{
    return t.scalar_type() == torch::kBFloat16 || t.scalar_type() == torch::kHalf;
}

/// Whether a weight of `target`'s dtype takes `source`'s values exactly: the same dtype, or one of
/// them fp32 and the other bf16/fp16 (a base weight kept in its stored dtype while frozen, and fp32
/// once trained: gradual unfreezing, or a model loaded in fp32 to predict).
bool precisionFits(const torch::Tensor &target, const torch::Tensor &source)
{
    if (target.scalar_type() == source.scalar_type())
        return true;
    return (isHalf(target) && source.scalar_type() == torch::kFloat) ||
           (isHalf(source) && target.scalar_type() == torch::kFloat);
}

/// Writes `source` into model tensor `target`. A 16-bit target given fp32 values (a weight the run
/// converted to train it) becomes fp32 itself, staying the same tensor for optimisers.
void assign(torch::Tensor &target, const torch::Tensor &source)
{
    if (isHalf(target) && source.scalar_type() == torch::kFloat)
        target.set_data(source.to(target.device(), torch::kFloat, false, true));
    else
        target.copy_(source);
}

/// Tensor `name` of `tensors` with `like`'s shape and dtype (or, `weights`, a dtype precisionFits()),
/// or an error naming it.
Result<torch::Tensor> matching(const NamedTensors &tensors, const std::string &name, const torch::Tensor &like,
                               const QString &checkpoint, bool weights = false)
{
    const auto it = tensors.find(name);
    if (it == tensors.end())
        return Result<torch::Tensor>::failure(
            QStringLiteral("%1 lacks tensor \"%2\"").arg(checkpoint, QString::fromStdString(name)));
    const bool dtypeFits = weights ? precisionFits(like, it->second) : it->second.scalar_type() == like.scalar_type();
    if (it->second.sizes() != like.sizes() || !dtypeFits)
        return Result<torch::Tensor>::failure(
            QStringLiteral("%1: tensor \"%2\" is %3 %4, the run needs %5 %6")
                .arg(checkpoint, QString::fromStdString(name), QString::fromLatin1(c10::toString(it->second.scalar_type())),
                     QString::fromStdString(c10::str(it->second.sizes())), QString::fromLatin1(c10::toString(like.scalar_type())),
                     QString::fromStdString(c10::str(like.sizes()))));
    return it->second;
}

at::Generator cudaGenerator()
{
    return at::globalContext().defaultGenerator(at::Device(at::kCUDA, 0));
}

void addModule(NamedTensors &tensors, const torch::nn::Module &module, const std::string &prefix)
{
    for (const auto &item : module.named_parameters(true))
        tensors[prefix + item.key()] = item.value();
    for (const auto &item : module.named_buffers(true))
        tensors[prefix + item.key()] = item.value();
}

Status addOptimizer(NamedTensors &tensors, const torch::optim::Optimizer &optimizer)
{
    const auto &groups = optimizer.param_groups();
    for (size_t g = 0; g < groups.size(); ++g) {
        for (size_t i = 0; i < groups[g].params().size(); ++i) {
            const auto it = optimizer.state().find(stateKey(optimizer.state(), groups[g].params()[i]));
            if (it == optimizer.state().end())
                continue; // no gradient reached it yet: AdamW keeps no state
            const auto *adam = dynamic_cast<const torch::optim::AdamWParamState *>(it->second.get());
            if (!adam)
                return Status::failure(QStringLiteral("cannot save a checkpoint: the optimiser is not AdamW"));
            const torch::Tensor moments[] = {adam->exp_avg(), adam->exp_avg_sq(), adam->max_exp_avg_sq()};
            for (size_t f = 0; f < std::size(kMomentFields); ++f) {
                if (moments[f].defined())
                    tensors[optimizerName(g, i, kMomentFields[f])] = moments[f];
            }
            tensors[optimizerName(g, i, "step")] = torch::scalar_tensor(adam->step(), torch::kLong);
        }
    }
    return {};
}

} // namespace

Result<QByteArray> CheckpointTensors::encode(const torch::nn::Module &model,
                                              const std::vector<std::shared_ptr<torch::nn::Module>> &extras,
                                              const torch::optim::Optimizer &optimizer, const QJsonObject &state,
                                              const NamedTensors &selected)
{
    NamedTensors tensors = selected;
    addModule(tensors, model, kModelPrefix);
    for (size_t i = 0; i < extras.size(); ++i)
        addModule(tensors, *extras[i], "extra" + std::to_string(i) + ".");
    if (const Status s = addOptimizer(tensors, optimizer); !s)
        return Result<QByteArray>::failure(s.error());
    tensors[kRngName] = at::detail::getDefaultCPUGenerator().get_state();
    if (torch::cuda::is_available())
        tensors[kCudaRngName] = cudaGenerator().get_state();
    const QMap<QString, QString> metadata{
        {QString::fromLatin1(CheckpointStore::kStateKey),
         QString::fromUtf8(QJsonDocument(state).toJson(QJsonDocument::Compact))}};
    return SafeTensorsWriter::toBytes(QStringLiteral("a checkpoint"), tensors, metadata);
}

NamedTensors CheckpointTensors::snapshot(const torch::nn::Module &module, const std::string &prefix)
{
    torch::NoGradGuard noGrad;
    NamedTensors tensors;
    for (const auto &item : module.named_parameters())
        tensors[prefix + item.key()] = item.value().detach().clone();
    for (const auto &item : module.named_buffers())
        tensors[prefix + item.key()] = item.value().detach().clone();
    return tensors;
}

Result<NamedTensors> CheckpointTensors::decode(const QByteArray &bytes, const QString &name)
{
    return ModelLoader::readBytes(bytes, name);
}

Status CheckpointTensors::restoreModule(torch::nn::Module &module, const NamedTensors &tensors,
                                        const std::string &prefix, const QString &name)
{
    NamedTensors targets;
    addModule(targets, module, prefix);
    QStringList unexpected;
    for (auto it = tensors.lower_bound(prefix); it != tensors.end() && it->first.rfind(prefix, 0) == 0; ++it) {
        if (!targets.count(it->first))
            unexpected.append(QString::fromStdString(it->first));
    }
    if (!unexpected.isEmpty())
        return Status::failure(QStringLiteral("%1 holds tensors the run's model lacks: %2").arg(name, listed(unexpected)));
    torch::NoGradGuard noGrad;
    for (auto &[targetName, target] : targets) {
        const auto source = matching(tensors, targetName, target, name, true);
        if (!source)
            return Status::failure(source.error());
        assign(target, source.value());
    }
    return {};
}

Status CheckpointTensors::restorePart(torch::nn::Module &module, const NamedTensors &tensors, const QString &name)
{
    NamedTensors targets;
    addModule(targets, module, std::string());
    QStringList unexpected;
    for (const auto &item : tensors) {
        if (!targets.count(item.first))
            unexpected.append(QString::fromStdString(item.first));
    }
    if (!unexpected.isEmpty())
        return Status::failure(QStringLiteral("%1 holds tensors the run's model lacks: %2").arg(name, listed(unexpected)));
    torch::NoGradGuard noGrad;
    for (const auto &item : tensors) {
        torch::Tensor &target = targets[item.first];
        const auto source = matching(tensors, item.first, target, name, true);
        if (!source)
            return Status::failure(source.error());
        assign(target, source.value());
    }
    return {};
}

Status CheckpointTensors::restoreOptimizer(torch::optim::Optimizer &optimizer, const NamedTensors &tensors,
                                           const QString &name)
{
    std::set<std::string> used;
    auto &groups = optimizer.param_groups();
    for (size_t g = 0; g < groups.size(); ++g) {
        for (size_t i = 0; i < groups[g].params().size(); ++i) {
            const torch::Tensor &p = groups[g].params()[i];
            const auto step = tensors.find(optimizerName(g, i, "step"));
            if (step == tensors.end())
                continue;
            if (step->second.dim() != 0 || step->second.scalar_type() != torch::kLong)
                return Status::failure(QStringLiteral("%1: tensor \"%2\" is not an int64 scalar")
                                           .arg(name, QString::fromStdString(step->first)));
            used.insert(step->first);
            auto state = std::make_unique<torch::optim::AdamWParamState>();
            state->step(step->second.item<int64_t>());
            for (size_t f = 0; f < std::size(kMomentFields); ++f) {
                const std::string key = optimizerName(g, i, kMomentFields[f]);
                if (f == kMaxMoment && !tensors.count(key))
                    continue;
                const auto moment = matching(tensors, key, p, name);
                if (!moment)
                    return Status::failure(moment.error());
                used.insert(key);
                // A copy on the parameter's device: the decoded tensor views the read-only blob.
                const torch::Tensor copy = moment.value().to(torch::TensorOptions().device(p.device()), false, true);
                if (f == 0)
                    state->exp_avg(copy);
                else if (f == 1)
                    state->exp_avg_sq(copy);
                else
                    state->max_exp_avg_sq(copy);
            }
            optimizer.state()[stateKey(optimizer.state(), p)] = std::move(state);
        }
    }
    QStringList unexpected;
    for (auto it = tensors.lower_bound(kOptimizerPrefix); it != tensors.end() && it->first.rfind(kOptimizerPrefix, 0) == 0;
         ++it) {
        if (!used.count(it->first))
            unexpected.append(QString::fromStdString(it->first));
    }
    if (!unexpected.isEmpty())
        return Status::failure(
            QStringLiteral("%1 holds optimiser state for parameters the run does not train: %2").arg(name, listed(unexpected)));
    return {};
}

Status CheckpointTensors::restoreRng(const NamedTensors &tensors, const QString &name)
{
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    const auto state = matching(tensors, kRngName, generator.get_state(), name);
    if (!state)
        return Status::failure(state.error());
    generator.set_state(state.value().clone());
    // A checkpoint written on the CPU resumes on the GPU (and back) with the CUDA generator as is.
    if (tensors.count(kCudaRngName) && torch::cuda::is_available()) {
        at::Generator cuda = cudaGenerator();
        const auto cudaState = matching(tensors, kCudaRngName, cuda.get_state(), name);
        if (!cudaState)
            return Status::failure(cudaState.error());
        cuda.set_state(cudaState.value().clone());
    }
    return {};
}

} // namespace ts
