// Verbs on base models: add-model, models, tokenize, hf-cache.
#include "ModelCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "model/BuiltinModels.h"
#include "model/HuggingFaceCache.h"
#include "model/ModelFolder.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "text/Tokenizer.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace ts::cli {

namespace {

constexpr qint64 kMemoryBatch = 16;      // sequences per batch of the memory estimate
constexpr qint64 kMemorySeqLen = 128;    // tokens per sequence of the memory estimate
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;
constexpr int kBarWidth = 30;            // width of the progress bar, in characters

/// The longest input a model takes: its position table, less RoBERTa's padding offset.
qint64 maxLength(const ModelConfig &config)
{
    if (config.family == ModelFamily::Roberta)
        return config.maxPositions - config.padTokenId - 1;
    return config.maxPositions;
}

QString kindName(ModelRecord::Kind kind)
{
    return kind == ModelRecord::Kind::Builtin ? QStringLiteral("builtin") : QStringLiteral("huggingface");
}

QString millions(qint64 parameters)
{
    return QStringLiteral("%1M").arg(double(parameters) / 1e6, 0, 'f', 1);
}

/// `bytes` in GiB from 1 GiB up, else in MiB.
QString memoryText(qint64 bytes)
{
    if (double(bytes) >= kGiB)
        return QStringLiteral("%1 GiB").arg(double(bytes) / kGiB, 0, 'f', 2);
    return QStringLiteral("%1 MiB").arg(double(bytes) / kMiB, 0, 'f', 0);
}

/// Table cells joined by two spaces.
QString row(const QStringList &cells)
{
    return cells.join(QStringLiteral("  "));
}

qint64 memoryEstimate(const ModelConfig &config)
{
    return config.trainingMemoryBytes(kMemoryBatch, kMemorySeqLen, DType::F32);
}

/// A progress line on stderr, drawn only for a terminal so that logs and pipes stay clean.
std::function<void(const QString &, int, int)> progressLine()
{
    if (!isatty(fileno(stderr)))
        return {};
    return [](const QString &stage, int done, int total) {
        const double fraction = total > 0 ? std::min(1.0, double(done) / double(total)) : 0.0;
        const int filled = int(fraction * kBarWidth);
        std::fprintf(stderr, "\r%-26s [%s%s] %d", qUtf8Printable(stage), QByteArray(filled, '#').constData(),
                     QByteArray(kBarWidth - filled, ' ').constData(), done);
        std::fflush(stderr);
    };
}

/// The name a Hugging Face folder gets by default: its repo id inside the cache, else its folder name.
QString defaultFolderName(const QString &dir)
{
    const QFileInfo info(QDir(dir).absolutePath());
    const QDir snapshots = info.dir();
    QDir repo = snapshots;
    if (snapshots.dirName() == QLatin1String("snapshots") && repo.cdUp() && repo.dirName().startsWith(QLatin1String("models--")))
        return repo.dirName().mid(int(qstrlen("models--"))).replace(QStringLiteral("--"), QStringLiteral("/"));
    return info.fileName();
}

QJsonObject modelJson(const ModelRecord &m)
{
    return QJsonObject{
        {QStringLiteral("id"), m.id},
        {QStringLiteral("name"), m.name},
        {QStringLiteral("kind"), kindName(m.kind)},
        {QStringLiteral("architecture"), m.architecture},
        {QStringLiteral("parameters"), m.parameters},
        {QStringLiteral("vocab_size"), m.config.vocabSize},
        {QStringLiteral("max_length"), maxLength(m.config)},
        {QStringLiteral("training_memory_bytes"), memoryEstimate(m.config)},
        {QStringLiteral("memory_batch"), kMemoryBatch},
        {QStringLiteral("memory_seq_len"), kMemorySeqLen},
        {QStringLiteral("location"), m.location.isEmpty() ? QStringLiteral("project") : m.location},
    };
}

struct AddModelOptions
{
    QCommandLineOption hfDir{QStringLiteral("hf-dir"), QStringLiteral("A Hugging Face model folder to register."),
                             QStringLiteral("DIR")};
    QCommandLineOption builtin{QStringLiteral("builtin"),
                               QStringLiteral("Build a model from scratch: tiny-encoder, small-encoder or tiny-decoder."),
                               QStringLiteral("NAME")};
    QCommandLineOption name{QStringLiteral("name"),
                            QStringLiteral("Name in the project (default: the built-in or folder name)."),
                            QStringLiteral("N")};
    QCommandLineOption corpora{QStringLiteral("vocab-corpora"),
                               QStringLiteral("Built-in: corpora whose texts train the tokenizer (default: all)."),
                               QStringLiteral("A,B")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Built-in: weight initialisation seed (default 42)."),
                            QStringLiteral("S")};
};

Result<qint64> addBuiltin(const Project &project, const QCommandLineParser &parser, const AddModelOptions &o,
                          const BuiltinBuildParams &params)
{
    const QString builtin = parser.value(o.builtin);
    const QString name = parser.isSet(o.name) ? parser.value(o.name) : builtin;
    const QStringList corpora = parser.value(o.corpora).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const auto id = BuiltinModels::addToProject(project.database(), builtin, name, corpora, params);
    if (params.progress)
        std::fputc('\n', stderr);
    return id;
}

} // namespace

int runAddModel(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Register a Hugging Face model folder or build a built-in model."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const AddModelOptions o;
    parser.addOptions({o.hfDir, o.builtin, o.name, o.corpora, o.seed});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    if (parser.isSet(o.hfDir) == parser.isSet(o.builtin))
        return usageError(QStringLiteral("add-model needs one of --hf-dir or --builtin"));
    if (parser.isSet(o.hfDir) && (parser.isSet(o.corpora) || parser.isSet(o.seed)))
        return usageError(QStringLiteral("--vocab-corpora and --seed apply to --builtin only"));
    BuiltinBuildParams params;
    bool ok = true;
    if (parser.isSet(o.seed))
        params.seed = parser.value(o.seed).toULongLong(&ok);
    if (!ok)
        return usageError(QStringLiteral("--seed wants a non-negative integer"));
    params.progress = progressLine();

    const auto project = Project::open(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    const QString dir = parser.value(o.hfDir);
    const auto id = parser.isSet(o.builtin)
        ? addBuiltin(*project.value(), parser, o, params)
        : ModelRegistry::addFolder(project.value()->database(),
                                   parser.isSet(o.name) ? parser.value(o.name) : defaultFolderName(dir), dir);
    if (!id)
        return fail(id.error());
    const auto model = ModelRegistry::load(project.value()->database(), id.value());
    if (!model)
        return fail(model.error());
    printLine(QStringLiteral("added model \"%1\" (id %2): %3, %4 parameters, vocabulary %5")
                  .arg(model->name, QString::number(model->id), model->architecture, millions(model->parameters),
                       QString::number(model->config.vocabSize)));
    return kExitOk;
}

int runModels(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List a project's models with their sizes and a training memory "
                                                    "estimate (batch 16 x 128 tokens, fp32, AdamW)."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;

    const auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const auto models = ModelRegistry::list(project.value()->database());
    if (!models)
        return fail(models.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const ModelRecord &m : models.value())
            array.append(modelJson(m));
        printJson(array);
        return kExitOk;
    }
    printLine(row({QStringLiteral("id").rightJustified(4), QStringLiteral("name").leftJustified(20),
                   QStringLiteral("kind").leftJustified(11), QStringLiteral("arch").leftJustified(10),
                   QStringLiteral("params").rightJustified(8), QStringLiteral("vocab").rightJustified(7),
                   QStringLiteral("max len").rightJustified(7), QStringLiteral("train mem").rightJustified(10),
                   QStringLiteral("location")}));
    for (const ModelRecord &m : models.value()) {
        printLine(row({QString::number(m.id).rightJustified(4), m.name.leftJustified(20), kindName(m.kind).leftJustified(11),
                       m.architecture.leftJustified(10), millions(m.parameters).rightJustified(8),
                       QString::number(m.config.vocabSize).rightJustified(7),
                       QString::number(maxLength(m.config)).rightJustified(7),
                       memoryText(memoryEstimate(m.config)).rightJustified(10),
                       m.location.isEmpty() ? QStringLiteral("project") : m.location}));
    }
    return kExitOk;
}

int runTokenize(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show how a model's tokenizer splits a text."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("Model name or id."), QStringLiteral("M"));
    const QCommandLineOption textOption(QStringLiteral("text"), QStringLiteral("The text to tokenize."), QStringLiteral("TEXT"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({modelOption, textOption, json});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(modelOption) || !parser.isSet(textOption))
        return usageError(QStringLiteral("tokenize needs --model and --text"));

    const auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const QSqlDatabase db = project.value()->database();
    const auto model = ModelRegistry::find(db, parser.value(modelOption));
    if (!model)
        return fail(model.error());
    const QTemporaryDir scratch;
    if (!scratch.isValid())
        return fail(QStringLiteral("cannot create a temporary folder: %1").arg(scratch.errorString()));
    const auto dir = ModelRegistry::materialize(db, model.value(), scratch.path());
    if (!dir)
        return fail(dir.error());
    const auto folder = ModelFolder::inspect(dir.value());
    if (!folder)
        return fail(folder.error());
    if (folder->tokenizerFile().isEmpty())
        return fail(QStringLiteral("%1 has no tokenizer (tokenizer.json or vocab.txt)").arg(dir.value()));
    const auto tokenizer = Tokenizer::fromFile(folder->tokenizerFile());
    if (!tokenizer)
        return fail(tokenizer.error());

    const QString text = parser.value(textOption);
    const Encoding encoding = tokenizer->encode(text);
    if (parser.isSet(json)) {
        QJsonArray ids, tokens, offsets;
        for (int i = 0; i < encoding.size(); ++i) {
            ids.append(encoding.ids.at(i));
            tokens.append(encoding.tokens.at(i));
            offsets.append(QJsonArray{encoding.offsets.at(i).first, encoding.offsets.at(i).second});
        }
        printJson(QJsonObject{{QStringLiteral("model"), model->name}, {QStringLiteral("text"), text},
                              {QStringLiteral("ids"), ids}, {QStringLiteral("tokens"), tokens},
                              {QStringLiteral("offsets"), offsets}});
        return kExitOk;
    }
    for (int i = 0; i < encoding.size(); ++i) {
        const auto [start, end] = encoding.offsets.at(i);
        printLine(row({QString::number(encoding.ids.at(i)).rightJustified(6), encoding.tokens.at(i).leftJustified(16),
                       QStringLiteral("%1-%2").arg(start).arg(end), text.mid(start, end - start)}));
    }
    return kExitOk;
}

int runHfCache(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the models in the Hugging Face cache ($HF_HUB_CACHE, "
                                                    "$HF_HOME/hub or ~/.cache/huggingface/hub)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 0); code >= 0)
        return code;

    const HuggingFaceCache::Listing listing = HuggingFaceCache::scan(HuggingFaceCache::defaultHubDir());
    if (parser.isSet(json)) {
        QJsonArray models;
        for (const HuggingFaceCache::Entry &e : listing.models)
            models.append(QJsonObject{{QStringLiteral("repo_id"), e.repoId},
                                      {QStringLiteral("folder"), e.folder},
                                      {QStringLiteral("architecture"), e.architecture},
                                      {QStringLiteral("parameters"), e.parameters},
                                      {QStringLiteral("vocab_size"), e.config.vocabSize},
                                      {QStringLiteral("max_length"), maxLength(e.config)},
                                      {QStringLiteral("training_memory_bytes"), memoryEstimate(e.config)},
                                      {QStringLiteral("has_tokenizer"), e.hasTokenizer}});
        printJson(QJsonObject{{QStringLiteral("hub_dir"), listing.hubDir},
                              {QStringLiteral("models"), models},
                              {QStringLiteral("skipped"), QJsonArray::fromStringList(listing.skipped)}});
        return kExitOk;
    }
    printLine(QStringLiteral("cache: %1 (%2 models)").arg(listing.hubDir).arg(listing.models.size()));
    for (const HuggingFaceCache::Entry &e : listing.models)
        printLine(row({e.repoId.leftJustified(40), e.architecture.leftJustified(10),
                       millions(e.parameters).rightJustified(8), e.folder}));
    for (const QString &skipped : listing.skipped)
        std::fprintf(stderr, "skipped: %s\n", qUtf8Printable(skipped));
    return kExitOk;
}

} // namespace ts::cli
