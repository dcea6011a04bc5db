#include "model/nn/BuiltinModelBuilder.h"

#include "model/nn/ModelExporter.h"
#include "model/nn/SafeTensorsWriter.h"
#include "text/BpeTrainer.h"
#include "text/WordPieceTrainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cmath>

namespace ts {

namespace {

const QString kEndOfText = QStringLiteral("<|endoftext|>"); // GPT-2's only special token: bos, eos and padding
constexpr int kReadProgressEvery = 1000; // documents between progress and abort calls while reading texts

QString stageReading() { return QStringLiteral("Reading texts"); }
QString stageTokenizer() { return QStringLiteral("Training the tokenizer"); }
QString stageWeights() { return QStringLiteral("Initialising the weights"); }

bool isDecoder(const ModelConfig &config)
{
    return config.family == ModelFamily::Gpt2 || config.family == ModelFamily::Llama;
}

/// `texts`, counting documents, reporting progress and stopping early once `params.abort` says so.
TextSource watched(const TextSource &texts, const BuiltinBuildParams &params, qint64 *documents)
{
    return [&texts, &params, documents](QString &text) {
        if (*documents % kReadProgressEvery == 0) {
            if (params.abort && params.abort())
                return false;
            if (params.progress)
                params.progress(stageReading(), int(*documents), 0);
        }
        if (!texts(text))
            return false;
        ++*documents;
        return true;
    };
}

/// The std a weight called `name` is drawn with.
double initialStd(const ModelConfig &config, const std::string &name)
{
    static const std::string kResidualProjection = "c_proj.weight"; // GPT-2 attention and MLP outputs
    const bool residual = config.family == ModelFamily::Gpt2 && name.size() >= kResidualProjection.size()
        && name.compare(name.size() - kResidualProjection.size(), kResidualProjection.size(), kResidualProjection) == 0;
    return residual ? config.initializerRange / std::sqrt(2.0 * double(config.numLayers)) : config.initializerRange;
}

Result<QByteArray> serialiseWeights(const PretrainedModel &model)
{
    const QTemporaryDir scratch;
    if (!scratch.isValid())
        return Result<QByteArray>::failure(QStringLiteral("cannot create a temporary folder: %1").arg(scratch.errorString()));
    const QString path = scratch.filePath(QStringLiteral("model.safetensors"));
    if (const Status written = SafeTensorsWriter::write(path, ModelExporter::exportTensors(model)); !written)
        return Result<QByteArray>::failure(written.error());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

} // namespace

Result<QMap<QString, QByteArray>> BuiltinModelBuilder::build(const BuiltinModel &model, const TextSource &texts,
                                                             const BuiltinBuildParams &params)
{
    using R = Result<QMap<QString, QByteArray>>;
    const QString source = QStringLiteral("built-in model \"%1\" config.json").arg(model.name);
    const auto target = ModelConfig::fromJson(QJsonDocument(model.config).toJson(), source);
    if (!target)
        return R::failure(target.error());
    const auto tokenizer = trainTokenizer(target.value(), texts, params);
    if (!tokenizer)
        return R::failure(tokenizer.error());
    const auto config = ModelConfig::fromJson(QJsonDocument(fitConfig(model.config, tokenizer.value())).toJson(), source);
    if (!config)
        return R::failure(config.error());
    if (params.progress)
        params.progress(stageWeights(), 0, 1);
    try {
        const auto built = createModel(config.value(), params.seed);
        if (!built)
            return R::failure(built.error());
        const auto weights = serialiseWeights(*built.value());
        if (!weights)
            return R::failure(weights.error());
        if (params.progress)
            params.progress(stageWeights(), 1, 1);
        return QMap<QString, QByteArray>{
            {QStringLiteral("config.json"),
             QJsonDocument(ModelExporter::exportConfig(*built.value())).toJson(QJsonDocument::Indented)},
            {QStringLiteral("model.safetensors"), weights.value()},
            {QStringLiteral("tokenizer.json"), tokenizer->toJson()},
        };
    } catch (const c10::Error &error) {
        return R::failure(QStringLiteral("cannot build %1: %2").arg(model.name, QString::fromUtf8(error.what_without_backtrace())));
    }
}

Result<Tokenizer> BuiltinModelBuilder::trainTokenizer(const ModelConfig &config, const TextSource &texts,
                                                      const BuiltinBuildParams &params)
{
    const bool decoder = isDecoder(config);
    TrainerParams trainer = decoder ? TrainerParams() : TrainerParams::bertDefaults();
    if (decoder)
        trainer.specialTokens = QStringList{kEndOfText};
    trainer.vocabSize = int(config.vocabSize);
    trainer.minFrequency = params.minFrequency;
    trainer.abort = params.abort;
    if (params.progress)
        trainer.progress = [&params](int merges, int target) { params.progress(stageTokenizer(), merges, target); };
    qint64 documents = 0;
    const TextSource source = watched(texts, params, &documents);
    auto tokenizer = decoder ? BpeTrainer::train(source, trainer) : WordPieceTrainer::train(source, trainer);
    if (params.abort && params.abort())
        return Result<Tokenizer>::failure(QStringLiteral("building the model was cancelled"));
    if (tokenizer && documents == 0)
        return Result<Tokenizer>::failure(QStringLiteral("there is no text to train the tokenizer on"));
    return tokenizer;
}

QJsonObject BuiltinModelBuilder::fitConfig(QJsonObject config, const Tokenizer &tokenizer)
{
    config.insert(QStringLiteral("vocab_size"), tokenizer.vocabSize());
    const SpecialTokenIds &ids = tokenizer.specialIds();
    const QString type = config.value(QStringLiteral("model_type")).toString();
    if (type == QLatin1String("gpt2") || type == QLatin1String("llama")) {
        config.insert(QStringLiteral("bos_token_id"), ids.bos);
        config.insert(QStringLiteral("eos_token_id"), ids.eos);
    }
    if (type != QLatin1String("gpt2")) // GPT-2's config has no padding id
        config.insert(QStringLiteral("pad_token_id"), tokenizer.padId());
    return config;
}

Result<std::shared_ptr<PretrainedModel>> BuiltinModelBuilder::createModel(const ModelConfig &config, quint64 seed)
{
    auto model = PretrainedModel::create(config, pretrainingTask(config));
    if (!model)
        return model;
    at::Generator generator = at::detail::createCPUGenerator(seed);
    torch::NoGradGuard noGrad;
    // named_parameters() lists tied weights once and in registration order, so the draws are reproducible.
    for (const auto &item : model.value()->named_parameters(true)) {
        if (item.value().dim() >= 2)
            item.value().normal_(0.0, initialStd(config, item.key()), generator);
    }
    return model;
}

ModelTask BuiltinModelBuilder::pretrainingTask(const ModelConfig &config)
{
    return isDecoder(config) ? ModelTask::CausalLm : ModelTask::MaskedLm;
}

} // namespace ts
