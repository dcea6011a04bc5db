#include "transfer/LoraStrategy.h"

#include "model/ModelConfig.h"
#include "model/nn/Gpt2Conv1D.h"
#include "model/nn/Layers.h"
#include "model/nn/SafeTensorsWriter.h"
#include "train/ClassificationObjective.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSaveFile>
#include <QSet>

namespace ts {

namespace {

constexpr int kProjectionsPerLayer = 2; // the default targets: query and value

std::string lastComponent(const std::string &name)
{
    const size_t dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

} // namespace

LoraOptions LoraStrategy::options(const TrainingConfig &config)
{
    LoraOptions o;
    o.rank = int(descriptor().number(config, QString::fromLatin1(kRank)));
    o.alpha = descriptor().number(config, QString::fromLatin1(kAlpha));
    o.dropout = descriptor().number(config, QString::fromLatin1(kDropout));
    return o;
}

QStringList LoraStrategy::targets(const TrainingConfig &config)
{
    return descriptor().text(config, QString::fromLatin1(kTargets)).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

Result<int> LoraStrategy::attach(PretrainedModel &model, const LoraOptions &options, const QStringList &targets)
{
    const QSet<QString> wanted(targets.begin(), targets.end());
    const bool all = wanted.contains(QString::fromLatin1(kAllLinear));
    QSet<QString> available;
    int attached = 0;
    for (const auto &item : model.backbone()->named_modules()) {
        torch::nn::Module &layer = *item.value();
        int64_t in = 0, out = 0;
        if (const auto *linear = dynamic_cast<torch::nn::LinearImpl *>(&layer)) {
            in = linear->weight.size(1);
            out = linear->weight.size(0);
        } else if (const auto *conv = dynamic_cast<Gpt2Conv1D *>(&layer)) {
            in = conv->weight.size(0); // Conv1D stores (in, out)
            out = conv->weight.size(1);
        } else {
            continue;
        }
        const QString last = QString::fromStdString(lastComponent(item.key()));
        available.insert(last);
        if ((!all && !wanted.contains(last)) || layers::adapterOf(layer))
            continue;
        LoraAdapter adapter(in, out, options);
        adapter->to(layer.parameters().front().device());
        layer.register_module(LinearAdapter::kChildName, adapter);
        ++attached;
    }
    if (attached == 0) {
        QStringList names = available.values();
        names.sort();
        return Result<int>::failure(QStringLiteral("lora: no linear layer of this model is called %1; its linear layers "
                                                   "are %2 (or use %3)")
                                        .arg(targets.join(QStringLiteral(", ")),
                                             names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", ")),
                                             QString::fromLatin1(kAllLinear)));
    }
    return attached;
}

Result<PhaseResult> LoraStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    auto model = ctx.loadModel(ModelTask::SequenceClassification, true);
    if (!model)
        return R::failure(model.error());
    for (auto &p : model.value()->parameters())
        p.set_requires_grad(false);
    torch::manual_seed(uint64_t(ctx.config.initSeed));
    const auto attached = attach(*model.value(), options(ctx.config), targets(ctx.config));
    if (!attached)
        return R::failure(attached.error());
    // The new head trains with the adapters.
    for (auto &p : model.value()->head()->parameters())
        p.set_requires_grad(true);
    int64_t trainable = 0;
    int64_t total = 0;
    for (const auto &p : model.value()->parameters()) {
        total += p.numel();
        trainable += p.requires_grad() ? p.numel() : 0;
    }
    ctx.log(QStringLiteral("lora: %1 adapters; %2 of %3 parameters train (%4%)")
                .arg(attached.value())
                .arg(trainable)
                .arg(total)
                .arg(100.0 * double(trainable) / double(std::max<int64_t>(1, total)), 0, 'f', 2));
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

Status LoraStrategy::prepareForCheckpoint(PretrainedModel &model, const TrainingConfig &config) const
{
    // The checkpoint holds the adapters: attach them before reading it.
    return Status::from(attach(model, options(config), targets(config)));
}

Status LoraStrategy::exportExtras(const PretrainedModel &model, const TrainingConfig &config, const QString &outDir) const
{
    // Besides the merged model, the adapters alone, as Hugging Face PEFT expects them.
    return writePeftAdapter(model, options(config), targets(config), QDir(outDir).filePath(QStringLiteral("adapter")));
}

Status LoraStrategy::writePeftAdapter(const PretrainedModel &model, const LoraOptions &options,
                                      const QStringList &targets, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return Status::failure(QStringLiteral("cannot create %1").arg(dir));
    // PEFT's names: base_model.model.<module>.lora_A.weight (r, in) and .lora_B.weight (out, r);
    // the trained head is saved whole ("modules_to_save").
    NamedTensors tensors;
    const std::string child = std::string(".") + LinearAdapter::kChildName + ".";
    for (const auto &item : model.named_parameters(true)) {
        const std::string &name = item.key();
        const size_t at = name.find(child);
        if (at != std::string::npos) {
            const std::string module = name.substr(0, at);
            const std::string which = name.substr(at + child.size()); // lora_A or lora_B
            tensors["base_model.model." + module + "." + which + ".weight"] = item.value().detach();
        } else if (model.isHeadParameter(name)) {
            tensors["base_model.model." + name] = item.value().detach();
        }
    }
    if (const Status s = SafeTensorsWriter::write(QDir(dir).filePath(QStringLiteral("adapter_model.safetensors")), tensors); !s)
        return s;
    QJsonArray headModules;
    for (const auto &child : model.head()->named_children())
        headModules.append(QString::fromStdString(child.key()));
    const QJsonObject config{
        {QStringLiteral("peft_type"), QStringLiteral("LORA")},
        {QStringLiteral("task_type"), QStringLiteral("SEQ_CLS")},
        {QStringLiteral("r"), options.rank},
        {QStringLiteral("lora_alpha"), options.alpha},
        {QStringLiteral("lora_dropout"), options.dropout},
        // PEFT takes "all-linear" as a plain string; GPT-2's Conv1D weights are (in, out).
        {QStringLiteral("target_modules"), targets.contains(QString::fromLatin1(kAllLinear))
                                               ? QJsonValue(QString::fromLatin1(kAllLinear))
                                               : QJsonValue(QJsonArray::fromStringList(targets))},
        {QStringLiteral("fan_in_fan_out"), model.config().family == ModelFamily::Gpt2},
        {QStringLiteral("modules_to_save"), headModules},
        {QStringLiteral("bias"), QStringLiteral("none")},
        {QStringLiteral("inference_mode"), true},
        {QStringLiteral("base_model_name_or_path"), QStringLiteral("..")},
    };
    QSaveFile file(QDir(dir).filePath(QStringLiteral("adapter_config.json")));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) < 0 || !file.commit())
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    return {};
}

const StrategyDescriptor &LoraStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("LoRA adapters");
        d.description = QObject::tr("Keeps every pretrained weight fixed and trains small low-rank adapters beside the "
                                    "attention projections (Hu et al. 2021), plus the classifier. Uses far less memory "
                                    "and stores a tiny adapter instead of a whole model.");
        d.options = {{QString::fromLatin1(kRank), QObject::tr("Rank"), Kind::Integer, 8, 1, 1024, {},
                      QObject::tr("Size of the adapters: larger learns more, costs more.")},
                     {QString::fromLatin1(kAlpha), QObject::tr("Alpha"), Kind::Real, 16.0, 0.01, 10000, {},
                      QObject::tr("Scale of the adapters' contribution (alpha / rank).")},
                     {QString::fromLatin1(kDropout), QObject::tr("Adapter dropout"), Kind::Real, 0.05, 0.0, 0.9, {},
                      QObject::tr("Dropout on the adapters' input during training.")},
                     {QString::fromLatin1(kTargets), QObject::tr("Target modules"), Kind::Text,
                      QStringLiteral("query,value,q_lin,v_lin,q_proj,v_proj,c_attn"), 0, 0, {},
                      QObject::tr("Comma-separated names of the linear layers that get adapters, or all-linear "
                                  "for every linear layer of the model.")}};
        d.trains = StrategyDescriptor::Trains::Adapters;
        d.phases = {QStringLiteral("fine-tuning")};
        d.trainableParameters = [](const ModelConfig &model, const TrainingConfig &config) {
            // A and B of rank r beside a layer (in -> out): r * (in + out). The default targets: two
            // (H x H) projections per layer (or GPT-2's H -> 3H c_attn, the same count); all-linear:
            // four attention projections and the feed-forward layers (three with SwiGLU, else two).
            const double rank = descriptor().number(config, QString::fromLatin1(kRank));
            const double H = double(model.hiddenSize), I = double(model.intermediateSize);
            const bool all = targets(config).contains(QString::fromLatin1(kAllLinear));
            const double feedForward = (model.family == ModelFamily::Llama ? 3 : 2) * (H + I);
            const double perLayer = all ? 4 * 2 * H + feedForward : kProjectionsPerLayer * 2 * H;
            return qint64(std::min(double(model.parameterCount()), double(model.numLayers) * rank * perLayer));
        };
        d.create = [] { return std::unique_ptr<TransferStrategy>(new LoraStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
