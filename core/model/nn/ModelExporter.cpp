#include "model/nn/ModelExporter.h"

#include "model/nn/Gpt2Conv1D.h"
#include "model/nn/Layers.h"

#include "model/nn/SafeTensorsWriter.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace ts {

namespace {

QString torchDtypeName(const PretrainedModel &model)
{
    switch (model.backbone()->wordEmbeddings().scalar_type()) {
    case torch::kHalf: return QStringLiteral("float16");
    case torch::kBFloat16: return QStringLiteral("bfloat16");
    default: return QStringLiteral("float32");
    }
}

} // namespace

Status ModelExporter::exportFolder(const PretrainedModel &model, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return Status::failure(QStringLiteral("Cannot create folder %1").arg(dir));
    const QDir folder(dir);
    QSaveFile config(folder.filePath(QStringLiteral("config.json")));
    if (!config.open(QIODevice::WriteOnly))
        return Status::failure(QStringLiteral("Cannot write %1: %2").arg(config.fileName(), config.errorString()));
    config.write(QJsonDocument(exportConfig(model)).toJson(QJsonDocument::Indented));
    if (!config.commit())
        return Status::failure(QStringLiteral("Cannot write %1: %2").arg(config.fileName(), config.errorString()));
    return SafeTensorsWriter::write(folder.filePath(QStringLiteral("model.safetensors")), exportTensors(model));
}

NamedTensors ModelExporter::exportTensors(const PretrainedModel &model)
{
    const std::string prefix = model.backbonePrefix() + ".";
    const bool stripPrefix = model.task() == ModelTask::Embedding;
    const auto exportName = [&](const std::string &name) {
        const bool inBackbone = name.rfind(prefix, 0) == 0;
        return stripPrefix && inBackbone ? name.substr(prefix.size()) : name;
    };
    NamedTensors tensors;
    for (const auto &item : model.named_parameters(true)) {
        // LoRA adapters are not exported as such: they are merged into the weights below.
        if (item.key().find(std::string(".") + LinearAdapter::kChildName + ".") != std::string::npos)
            continue;
        tensors[exportName(item.key())] = item.value().detach();
    }
    for (const auto &item : model.named_modules()) {
        const auto adapter = layers::adapterOf(*item.value());
        if (!adapter)
            continue;
        torch::Tensor merged;
        if (const auto *linear = dynamic_cast<const torch::nn::LinearImpl *>(item.value().get()))
            merged = linear->weight + adapter->deltaWeight();
        else if (const auto *conv = dynamic_cast<const Gpt2Conv1D *>(item.value().get()))
            merged = conv->weight + adapter->deltaWeight().t(); // Conv1D stores (in, out)
        if (merged.defined())
            tensors[exportName(item.key() + ".weight")] = merged.detach();
    }
    return tensors;
}

QJsonObject ModelExporter::exportConfig(const PretrainedModel &model)
{
    const ModelConfig &config = model.config();
    QJsonObject json = config.raw;
    json.insert(QStringLiteral("architectures"), QJsonArray{config.architectureFor(model.task())});
    json.insert(QStringLiteral("torch_dtype"), torchDtypeName(model));
    QJsonObject id2label;
    QJsonObject label2id;
    for (int id = 0; id < config.labels.size(); ++id) {
        id2label.insert(QString::number(id), config.labels.at(id));
        label2id.insert(config.labels.at(id), id);
    }
    json.insert(QStringLiteral("id2label"), id2label);
    json.insert(QStringLiteral("label2id"), label2id);
    json.remove(QStringLiteral("num_labels"));
    return json;
}

} // namespace ts
