#pragma once

#include "text/TrainerParams.h"
#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

class QSqlDatabase;

namespace ts {

/// A model configuration Transfer Studio builds from scratch, so that the workbench works without
/// downloading anything. Value type.
struct BuiltinModel
{
    QString name;        // "tiny-encoder", "small-encoder", "tiny-decoder"
    QString description; // one line for lists and menus
    QJsonObject config;  // config.json in Hugging Face's format; vocab_size is the tokenizer's target size
};

/// Options of BuiltinModels::build, with progress and abort callbacks (called on the building thread).
struct BuiltinBuildParams
{
    quint64 seed = 42;    // weight initialisation: equal seeds and texts give byte-identical files
    int minFrequency = 2; // tokenizer training: a pair seen fewer times is never merged
    std::function<void(const QString &stage, int done, int total)> progress; // stage in words; total 0: unknown
    std::function<bool()> abort; // polled while reading texts and training; true cancels with an error
};

/// The named built-in configurations and the way to make a model of one: a tokenizer trained on
/// the project's texts (WordPiece with BERT's special tokens for encoders, byte-level BPE for decoders)
/// and freshly initialised weights. Pre-training them is the `continued-pretraining` strategy's job.
/// Torch-free header: the GUI and the CLI call it; the weights are made in nn/BuiltinModelBuilder.
class BuiltinModels
{
public:
    /// Every built-in configuration, smallest first.
    static const QList<BuiltinModel> &all();

    /// The configuration called `name`; the error lists the names there are.
    static Result<BuiltinModel> find(const QString &name);

    /// The files of a new model of `model` (config.json, model.safetensors, tokenizer.json), ready for
    /// ModelRegistry::addStored. The tokenizer is trained on the texts `texts` yields; the config's
    /// vocab_size becomes the trained vocabulary's size. Fails when cancelled or there is no text.
    static Result<QMap<QString, QByteArray>> build(const BuiltinModel &model, const TextSource &texts,
                                                   const BuiltinBuildParams &params);

    /// A source of the texts of every document of the corpora named `corpora` (all corpora when
    /// empty), in document order, read from `db` as it is pulled. Fails naming an unknown corpus, or
    /// when the corpora hold no text. Use the source on the thread that owns `db`.
    static Result<TextSource> projectTexts(const QSqlDatabase &db, const QStringList &corpora);

    /// Builds a model of the configuration `builtinName` with the texts of `corpora` and registers it in
    /// the project as `modelName`; returns its id.
    static Result<qint64> addToProject(const QSqlDatabase &db, const QString &builtinName, const QString &modelName,
                                       const QStringList &corpora, const BuiltinBuildParams &params);
};

} // namespace ts
