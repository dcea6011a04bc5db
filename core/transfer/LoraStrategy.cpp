#include "transfer/LoraStrategy.h"

#include "model/nn/Layers.h"
#include "model/nn/SafeTensorsWriter.h"
#include "train/ClassificationObjective.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

namespace ts {

namespace {

std::string lastComponent(const std::string &name)
{
    const size_t dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

} // namespace

LoraOptions LoraStrategy::options(const TrainingConfig &config)
{
    LoraOptions o;
    o.rank = int(config.option(QStringLiteral("rank"), 8));
    o.alpha = config.option(QStringLiteral("alpha"), 16.0);
    o.dropout = config.option(QStringLiteral("dropout"), 0.05);
    return o;
}

QStringList LoraStrategy::targets(const TrainingConfig &config)
{
    return config.optionList(QStringLiteral("targets"),
                             {QStringLiteral("query"), QStringLiteral("value"), QStringLiteral("q_lin"),
                              QStringLiteral("v_lin"), QStringLiteral("q_proj"), QStringLiteral("v_proj")});
}

Result<int> LoraStrategy::attach(PretrainedModel &model, const LoraOptions &options, const QStringList &targets)
{
    const QSet<QString> wanted(targets.begin(), targets.end());
    QSet<QString> available;
    int attached = 0;
    for (const auto &item : model.backbone()->named_modules()) {
        auto *linear = dynamic_cast<torch::nn::LinearImpl *>(item.value().get());
        if (!linear)
            continue;
        const QString last = QString::fromStdString(lastComponent(item.key()));
        available.insert(last);
        if (!wanted.contains(last) || layers::adapterOf(*linear))
            continue;
        LoraAdapter adapter(linear->weight.size(1), linear->weight.size(0), options);
        adapter->to(linear->weight.device());
        linear->register_module(LinearAdapter::kChildName, adapter);
        ++attached;
    }
    if (attached == 0) {
        QStringList names = available.values();
        names.sort();
        return Result<int>::failure(QStringLiteral("lora: no linear layer of this model is called %1; its linear layers "
                                                   "are %2 (GPT-2's attention uses Conv1D and cannot take adapters)")
                                        .arg(targets.join(QStringLiteral(", ")),
                                             names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
    }
    return attached;
}

Result<PhaseResult> LoraStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    auto model = ctx.loadModel(ModelTask::SequenceClassification);
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
        {QStringLiteral("target_modules"), QJsonArray::fromStringList(targets)},
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

} // namespace ts
