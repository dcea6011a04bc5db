#include "model/nn/ModelLoader.h"

#include "model/nn/DeferredInit.h"

#include <optional>
#include <set>

namespace ts {

namespace {

constexpr int kMaxListed = 20; // names listed per problem kind in an error message

// Top-level modules of heads a checkpoint may carry for another task: unused, not an error.
const std::set<std::string> kOtherHeads{"cls", "classifier", "pre_classifier", "vocab_transform", "vocab_layer_norm",
                                        "vocab_projector", "lm_head", "score", "pooler", "qa_outputs"};
// Buffers older transformers versions saved, recomputed here.
const std::vector<std::string> kBufferSuffixes{"position_ids", ".attn.bias", ".attn.masked_bias",
                                               ".rotary_emb.inv_freq"};

torch::ScalarType scalarType(DType dtype)
{
    switch (dtype) {
    case DType::F32: return torch::kFloat;
    case DType::F16: return torch::kHalf;
    case DType::BF16: return torch::kBFloat16;
    case DType::F64: return torch::kDouble;
    case DType::I64: return torch::kLong;
    case DType::I32: return torch::kInt;
    case DType::I16: return torch::kShort;
    case DType::I8: return torch::kChar;
    case DType::U8: return torch::kByte;
    case DType::Bool: return torch::kBool;
    }
    return torch::kFloat;
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool ignorable(std::string name, const std::string &prefix)
{
    if (name.rfind(prefix, 0) == 0)
        name = name.substr(prefix.size());
    if (kOtherHeads.count(name.substr(0, name.find('.'))))
        return true;
    for (const std::string &suffix : kBufferSuffixes) {
        if (name == suffix.substr(suffix.front() == '.' ? 1 : 0) || endsWith(name, suffix))
            return true;
    }
    return false;
}

QString shapeText(torch::IntArrayRef sizes)
{
    QStringList dims;
    for (int64_t dim : sizes)
        dims.append(QString::number(dim));
    return QStringLiteral("[%1]").arg(dims.join(QStringLiteral(", ")));
}

QString listing(const QString &what, const QStringList &names)
{
    QString text = QStringLiteral("%1 %2: %3").arg(names.size()).arg(what, names.mid(0, kMaxListed).join(QStringLiteral(", ")));
    if (names.size() > kMaxListed)
        text += QStringLiteral(" and %1 more").arg(names.size() - kMaxListed);
    return text;
}

/// Problems found while matching checkpoint names to model parameters.
struct Problems
{
    QStringList missing, unexpected, wrongShape;

    bool empty() const { return missing.isEmpty() && unexpected.isEmpty() && wrongShape.isEmpty(); }

    QString message(const QString &source) const
    {
        QStringList parts;
        if (!missing.isEmpty())
            parts.append(listing(QStringLiteral("missing tensor(s)"), missing));
        if (!unexpected.isEmpty())
            parts.append(listing(QStringLiteral("unexpected tensor(s)"), unexpected));
        if (!wrongShape.isEmpty())
            parts.append(listing(QStringLiteral("tensor(s) with the wrong shape or dtype"), wrongShape));
        return QStringLiteral("Cannot load %1: %2. Does config.json match the weights?")
            .arg(source, parts.join(QStringLiteral("; ")));
    }
};

} // namespace

Result<ModelLoader::Loaded> ModelLoader::load(const QString &dir, const LoadOptions &options)
{
    auto folder = ModelFolder::inspect(dir);
    if (!folder)
        return Result<Loaded>::failure(folder.error());
    auto tensors = readTensors(folder.value());
    if (!tensors)
        return Result<Loaded>::failure(tensors.error());
    // Kept in a 16-bit stored dtype, the weights are not allocated in fp32 first: placeholders until
    // the file's tensors replace them. (Fresh head weights then draw their random values after loading,
    // not after the backbone's: other values than an fp32 build's for the same seed.)
    const DType stored = folder->config().weightDtype;
    std::optional<DeferredInit> deferred;
    if (options.keepStoredDtype && (stored == DType::BF16 || stored == DType::F16))
        deferred.emplace();
    auto model = PretrainedModel::create(folder->config(), options.task, options.numLabels);
    if (!model)
        return Result<Loaded>::failure(model.error());
    auto report = loadWeights(*model.value(), tensors.value(), options, folder->path());
    if (!report)
        return Result<Loaded>::failure(report.error());
    if (deferred)
        deferred->materialise();
    model.value()->eval();
    return Loaded{std::move(folder).value(), std::move(model).value(), std::move(report).value()};
}

Result<NamedTensors> ModelLoader::readTensors(const ModelFolder &folder)
{
    NamedTensors tensors;
    for (const QString &path : folder.weightFiles()) {
        auto file = SafeTensorsFile::open(path);
        if (!file)
            return Result<NamedTensors>::failure(file.error());
        if (Status added = addFile(file.value(), &folder, tensors); !added)
            return Result<NamedTensors>::failure(added.error());
    }
    for (auto it = folder.weightMap().begin(); it != folder.weightMap().end(); ++it) {
        if (!tensors.count(it.key().toStdString()))
            return Result<NamedTensors>::failure(
                QStringLiteral("%1: the shard index lists tensor \"%2\", which is not in it").arg(it.value(), it.key()));
    }
    return tensors;
}

Result<NamedTensors> ModelLoader::readFile(const QString &path)
{
    return tensorsOf(SafeTensorsFile::open(path));
}

Result<NamedTensors> ModelLoader::readBytes(const QByteArray &bytes, const QString &name)
{
    return tensorsOf(SafeTensorsFile::fromBytes(bytes, name));
}

Result<NamedTensors> ModelLoader::tensorsOf(const Result<SafeTensorsFile> &file)
{
    if (!file)
        return Result<NamedTensors>::failure(file.error());
    NamedTensors tensors;
    if (Status added = addFile(file.value(), nullptr, tensors); !added)
        return Result<NamedTensors>::failure(added.error());
    return tensors;
}

Status ModelLoader::addFile(const SafeTensorsFile &file, const ModelFolder *folder, NamedTensors &tensors)
{
    const std::shared_ptr<const void> keepAlive = file.keepAlive();
    for (const SafeTensorsEntry &entry : file.entries()) {
        if (folder && !folder->weightMap().isEmpty() && folder->weightMap().value(entry.name) != file.path())
            return Status::failure(QStringLiteral("%1 holds tensor \"%2\", which the shard index does not assign to it")
                                       .arg(file.path(), entry.name));
        const std::string name = entry.name.toStdString();
        if (tensors.count(name))
            return Status::failure(QStringLiteral("%1: tensor \"%2\" appears in more than one shard").arg(file.path(), entry.name));
        std::vector<int64_t> shape(entry.shape.begin(), entry.shape.end());
        void *data = const_cast<uchar *>(file.data(entry));
        tensors[name] = torch::from_blob(data, shape, [keepAlive](void *) {},
                                         torch::TensorOptions().dtype(scalarType(entry.dtype)));
    }
    return {};
}

Result<LoadReport> ModelLoader::loadWeights(PretrainedModel &model, const NamedTensors &tensors,
                                            const LoadOptions &options, const QString &source)
{
    const auto parameters = model.named_parameters(true);
    const std::string prefix = model.backbonePrefix() + ".";
    LoadReport report;
    Problems problems;
    std::map<std::string, std::string> matched; // model name -> checkpoint name
    for (const auto &[name, tensor] : tensors) {
        std::string target = parameters.contains(name) ? name : prefix + name;
        if (!parameters.contains(target)) {
            (ignorable(name, prefix) ? report.ignored : problems.unexpected).append(QString::fromStdString(name));
            continue;
        }
        const torch::Tensor &parameter = parameters[target];
        if (matched.count(target)) {
            problems.unexpected.append(QStringLiteral("%1 (duplicate of %2)").arg(QString::fromStdString(name),
                                                                                 QString::fromStdString(matched[target])));
            continue;
        }
        matched[target] = name;
        if (tensor.sizes() != parameter.sizes() || !tensor.is_floating_point())
            problems.wrongShape.append(QStringLiteral("%1 (file %2 %3, model %4)")
                                           .arg(QString::fromStdString(name), QString::fromLatin1(c10::toString(tensor.scalar_type())),
                                                shapeText(tensor.sizes()), shapeText(parameter.sizes())));
    }
    for (const auto &item : parameters) {
        if (matched.count(item.key()))
            continue;
        const bool fresh = options.allowFreshHead && model.isHeadParameter(item.key());
        (fresh ? report.initialised : problems.missing).append(QString::fromStdString(item.key()));
    }
    if (!problems.empty())
        return Result<LoadReport>::failure(problems.message(source));
    torch::NoGradGuard noGrad;
    const DeferredInit *deferred = DeferredInit::active();
    for (const auto &[target, name] : matched) {
        torch::Tensor parameter = parameters[target];
        const torch::Tensor &stored = tensors.at(name);
        const bool half = stored.scalar_type() == torch::kBFloat16 || stored.scalar_type() == torch::kHalf;
        if (options.keepStoredDtype && half && !model.isHeadParameter(target))
            // On the CPU the view of the mapping itself: no copy until moved to a device or converted.
            parameter.set_data(parameter.device().is_cpu() ? stored : stored.to(parameter.device()));
        else if (deferred && deferred->isPlaceholder(parameter))
            parameter.set_data(stored.to(parameter.device(), parameter.scalar_type(), false, true)); // its one copy
        else
            parameter.copy_(stored);
    }
    return report;
}

} // namespace ts
