#include "transfer/Preflight.h"

#include "corpus/CorpusStore.h"
#include "model/ModelFolder.h"
#include "model/ModelRegistry.h"
#include "model/SafeTensorsFile.h"
#include "text/Tokenizer.h"
#include "transfer/PromptPreview.h"
#include "transfer/StrategyRegistry.h"

#include <QTemporaryDir>

#include <cstring>

namespace ts {

namespace {

const CorpusSummary *corpusNamed(const QList<CorpusSummary> &corpora, const QString &name)
{
    for (const CorpusSummary &c : corpora) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

/// The model called `nameOrId` (a name first, then a numeric id), as ModelRegistry::find resolves it.
const ModelRecord *modelNamed(const QList<ModelRecord> &models, const QString &nameOrId)
{
    for (const ModelRecord &m : models) {
        if (m.name == nameOrId)
            return &m;
    }
    bool isNumber = false;
    const qint64 id = nameOrId.toLongLong(&isNumber);
    for (const ModelRecord &m : models) {
        if (isNumber && m.id == id)
            return &m;
    }
    return nullptr;
}

/// Whether the element at `p` of `dtype` is NaN or infinite: its exponent bits are all ones.
template <typename Bits>
bool nonFinite(const uchar *p, Bits exponentMask)
{
    Bits bits;
    std::memcpy(&bits, p, sizeof bits);
    return (bits & exponentMask) == exponentMask;
}

/// How many elements of `entry` are NaN or infinite (0 for integer tensors).
qint64 nonFiniteCount(const SafeTensorsFile &file, const SafeTensorsEntry &entry)
{
    const uchar *data = file.data(entry);
    const qint64 n = entry.elementCount();
    qint64 count = 0;
    switch (entry.dtype) {
    case DType::F32:
        for (qint64 i = 0; i < n; ++i)
            count += nonFinite<quint32>(data + 4 * i, 0x7f800000u) ? 1 : 0;
        break;
    case DType::F16:
        for (qint64 i = 0; i < n; ++i)
            count += nonFinite<quint16>(data + 2 * i, 0x7c00u) ? 1 : 0;
        break;
    case DType::BF16:
        for (qint64 i = 0; i < n; ++i)
            count += nonFinite<quint16>(data + 2 * i, 0x7f80u) ? 1 : 0;
        break;
    case DType::F64:
        for (qint64 i = 0; i < n; ++i)
            count += nonFinite<quint64>(data + 8 * i, 0x7ff0000000000000ull) ? 1 : 0;
        break;
    default:
        break;
    }
    return count;
}

} // namespace

qint64 Preflight::usablePositions(const ModelConfig &config)
{
    switch (config.family) {
    case ModelFamily::Llama:
        return 0;
    case ModelFamily::Roberta:
        // HF create_position_ids_from_input_ids: real tokens count from padding_idx + 1.
        return std::max<qint64>(0, config.maxPositions - std::max<qint64>(0, config.padTokenId) - 1);
    default:
        break;
    }
    return config.maxPositions;
}

QStringList Preflight::checkSettings(const RunRequest &request, const QList<CorpusSummary> &corpora,
                                     const QList<ModelRecord> &models)
{
    QStringList problems;
    const TrainingConfig &config = request.config;
    const auto strategy = StrategyRegistry::lookup(config.strategy);
    if (!strategy)
        problems << strategy.error();
    else if (const Status s = strategy.value()->checkOptions(config.options); !s)
        problems << s.error();
    if (const Status s = config.validate(); !s)
        problems << s.error();

    const CorpusSummary *source = corpusNamed(corpora, request.sourceCorpus);
    if (!source)
        problems << QStringLiteral("source corpus \"%1\" does not exist in the project").arg(request.sourceCorpus);
    const CorpusSummary *target = corpusNamed(corpora, request.targetCorpus);
    if (!target)
        problems << QStringLiteral("target corpus \"%1\" does not exist in the project").arg(request.targetCorpus);
    const ModelRecord *model = modelNamed(models, request.model);
    if (!model)
        problems << QStringLiteral("no model called \"%1\" in the project").arg(request.model);

    const StrategyDescriptor *d = strategy ? strategy.value() : nullptr;
    if (d && source && d->needsSourceLabels && source->labels.size() < 2)
        problems << QStringLiteral("source corpus \"%1\" has %2 labelled classes; %3 trains a classifier and needs "
                                   "labelled documents of at least two classes")
                        .arg(source->name)
                        .arg(source->labels.size())
                        .arg(d->name);
    if (d && target && d->needsUnlabelledTarget && target->unlabeled == 0)
        problems << QStringLiteral("%1 reads the target's unlabelled text, but target corpus \"%2\" has none: import "
                                   "some unlabelled target texts (import --unlabeled) or pick another strategy")
                        .arg(d->name, target->name);
    if (target && (config.targetLabels != 0 || (d && d->needsTargetLabels)) && target->labels.isEmpty())
        problems << QStringLiteral("target corpus \"%1\" has no labelled documents, but %2 trains on target labels")
                        .arg(target->name,
                             config.targetLabels != 0 ? QStringLiteral("target_labels (--target-labels)") : d->name);
    // Label words against the source's labels, and the template against the model's kind.
    if (d && d->usesPrompt && source && model) {
        const auto prompt = PromptSettings::read(*d, config, source->labels.keys(), PromptPreview::isDecoder(model->config));
        if (!prompt)
            problems << QStringLiteral("%1: %2").arg(d->name, prompt.error());
    }
    if (model) {
        const qint64 positions = usablePositions(model->config);
        if (positions > 0 && config.maxLength > positions)
            problems << QStringLiteral("max_length (--max-length) is %1, but model \"%2\" has positions for %3 tokens: "
                                       "lower it to %3 or less")
                            .arg(config.maxLength)
                            .arg(model->name)
                            .arg(positions);
    }
    return problems;
}

QStringList Preflight::checkModelFiles(const QSqlDatabase &db, const ModelRecord &model)
{
    QStringList problems;
    QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(db, model, scratch.path());
    if (!dir)
        return {QStringLiteral("model \"%1\": %2").arg(model.name, dir.error())};
    const auto folder = ModelFolder::inspect(dir.value());
    if (!folder)
        return {QStringLiteral("model \"%1\": %2").arg(model.name, folder.error())};
    const auto tokenizer = Tokenizer::fromFile(folder->tokenizerFile());
    if (!tokenizer)
        problems << QStringLiteral("model \"%1\": %2").arg(model.name, tokenizer.error());
    else if (tokenizer->vocabSize() > model.config.vocabSize)
        problems << QStringLiteral("model \"%1\": its tokenizer has %2 tokens, but its embedding table has only %3 rows "
                                   "(vocab_size in config.json), so ids from %3 on are out of range: use the tokenizer "
                                   "the model was trained with")
                        .arg(model.name)
                        .arg(tokenizer->vocabSize())
                        .arg(model.config.vocabSize);
    for (const QString &path : folder->weightFiles()) {
        const auto file = SafeTensorsFile::open(path);
        if (!file) {
            problems << QStringLiteral("model \"%1\": %2").arg(model.name, file.error());
            continue;
        }
        for (const SafeTensorsEntry &entry : file->entries()) {
            if (const qint64 bad = nonFiniteCount(file.value(), entry); bad > 0) {
                problems << QStringLiteral("model \"%1\": tensor \"%2\" holds %3 NaN or infinite values; its weights are "
                                           "damaged: add the model again from an intact copy")
                                .arg(model.name, entry.name)
                                .arg(bad);
                return problems;
            }
        }
    }
    return problems;
}

QStringList Preflight::check(const QSqlDatabase &db, const RunRequest &request)
{
    const auto corpora = CorpusStore::summaries(db);
    if (!corpora)
        return {corpora.error()};
    const auto models = ModelRegistry::list(db);
    if (!models)
        return {models.error()};
    QStringList problems = checkSettings(request, corpora.value(), models.value());
    if (const ModelRecord *model = modelNamed(models.value(), request.model))
        problems << checkModelFiles(db, *model);
    return problems;
}

} // namespace ts
