#pragma once

#include "model/ModelRecord.h"
#include "train/TrainingConfig.h"
#include "util/Result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>

namespace ts {
struct StrategyDescriptor;
}

namespace ts::cli {

/// The flags of `run` and `benchmark`: what is trained on what, and the training options they share.
struct RunFlags
{
    QCommandLineOption source{QStringLiteral("source"), QStringLiteral("Source corpus (labelled)."), QStringLiteral("A")};
    QCommandLineOption target{QStringLiteral("target"), QStringLiteral("Target corpus."), QStringLiteral("B")};
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("Base model (name or id)."), QStringLiteral("M")};
    QCommandLineOption strategy{QStringLiteral("strategy"), QStringLiteral("Transfer strategy (see `strategies`)."),
                                QStringLiteral("S")};
    QCommandLineOption name{QStringLiteral("name"), QStringLiteral("Run name."), QStringLiteral("NAME")};
    QCommandLineOption epochs{QStringLiteral("epochs"), QStringLiteral("Passes over the training data."), QStringLiteral("N")};
    QCommandLineOption lr{QStringLiteral("lr"), QStringLiteral("Peak learning rate."), QStringLiteral("X")};
    QCommandLineOption batchSize{QStringLiteral("batch-size"), QStringLiteral("Examples per optimiser step."),
                                 QStringLiteral("N")};
    QCommandLineOption accumulation{QStringLiteral("grad-accumulation"),
                                    QStringLiteral("auto (default) or N: split each batch into N micro-batches and sum "
                                                   "their gradients; the batch stays --batch-size, so results do not "
                                                   "change, only memory and time. auto: the fewest micro-batches whose "
                                                   "estimated memory fits the device's available memory now."),
                                    QStringLiteral("auto|N")};
    QCommandLineOption maxLength{QStringLiteral("max-length"), QStringLiteral("Tokens per example."), QStringLiteral("N")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Weight initialisation seed."), QStringLiteral("N")};
    QCommandLineOption dataSeed{QStringLiteral("data-seed"), QStringLiteral("Data order and sampling seed."),
                                QStringLiteral("N")};
    QCommandLineOption targetLabels{QStringLiteral("target-labels"),
                                    QStringLiteral("Few-shot: labelled target examples per class (all: every one)."),
                                    QStringLiteral("K")};
    QCommandLineOption device{QStringLiteral("device"), QStringLiteral("auto, cpu or cuda."), QStringLiteral("D")};
    QCommandLineOption precision{QStringLiteral("precision"),
                                 QStringLiteral("fp32, bf16 or auto (bf16 on CUDA and on CPUs with AVX512-BF16 or AMX; "
                                                "weights stay fp32)."),
                                 QStringLiteral("P")};
    QCommandLineOption threads{QStringLiteral("threads"), QStringLiteral("CPU threads (0: libtorch's default)."),
                               QStringLiteral("N")};
    QCommandLineOption evalEvery{QStringLiteral("eval-every"), QStringLiteral("Evaluate every N steps (0: per epoch)."),
                                QStringLiteral("N")};
    QCommandLineOption patience{QStringLiteral("patience"), QStringLiteral("Early stopping patience (0: off)."),
                                QStringLiteral("N")};
    QCommandLineOption maxTrain{QStringLiteral("max-train"), QStringLiteral("Cap on training examples (0: all)."),
                                QStringLiteral("N")};
    QCommandLineOption maxEval{QStringLiteral("max-eval"), QStringLiteral("Cap on examples per evaluation split."),
                               QStringLiteral("N")};
    QCommandLineOption set{QStringLiteral("set"), QStringLiteral("Strategy option, e.g. --set domain_weight=0.5 (repeatable)."),
                           QStringLiteral("KEY=VALUE")};
    // Only `run` and `resume` offer it (not part of addTo): data-parallel ranks on this machine.
    QCommandLineOption processes{QStringLiteral("processes"),
                                 QStringLiteral("Data-parallel: train with N processes on this machine (N ranks, "
                                                "each its share of every batch; --batch-size stays the whole batch; "
                                                "the CPU threads are split between them). CPU only."),
                                 QStringLiteral("N")};
    QCommandLineOption seeds{QStringLiteral("seeds"), QStringLiteral("Repeat with N seeds as a group of runs."),
                             QStringLiteral("N")};
    QCommandLineOption budgets{QStringLiteral("label-budgets"),
                               QStringLiteral("Few-shot sweep, e.g. 0,8,32,128,all: one run per K."), QStringLiteral("LIST")};
    QCommandLineOption select{QStringLiteral("select"),
                              QStringLiteral("Which weights are the result: last (default), best-source (highest "
                                             "source validation accuracy) or best-target (uses target labels)."),
                              QStringLiteral("last|best-source|best-target")};
    QCommandLineOption keep{QStringLiteral("keep"),
                            QStringLiteral("What a finished run keeps besides metrics and predictions: final (its "
                                           "result weights), best-and-final (also the last step's when --select chose "
                                           "earlier ones) or none. Default: the project's setting (final unless changed)."),
                            QStringLiteral("final|best-and-final|none")};
    QCommandLineOption checkpointing{QStringLiteral("gradient-checkpointing"),
                                     QStringLiteral("auto, on or off: recompute each transformer layer in backward "
                                                    "instead of keeping its activations (auto: on from 300 M "
                                                    "parameters; every architecture)."),
                                     QStringLiteral("MODE")};
    QCommandLineOption ignoreMemory{QStringLiteral("ignore-memory-estimate"),
                                    QStringLiteral("Start even when the run's estimated memory exceeds what the device "
                                                   "has (swap, or an estimate you know to be high).")};

    /// Adds every flag of `run`.
    void addTo(QCommandLineParser &parser) const;
    /// Adds the flags `benchmark` shares with `run`: the model, the seeds, the training options and --set.
    void addTrainingTo(QCommandLineParser &parser) const;
    /// Applies the training options that are set (epochs to memory check, not --set) to `config`;
    /// false (with `error`, naming the flag and its range) when one is out of range.
    bool applyTraining(const QCommandLineParser &parser, TrainingConfig &config, QString *error) const;
    /// Fills the learning rate, batch size and maximum length that the command line leaves out
    /// with `model`'s defaults (ModelDefaults) and says once which it chose and why.
    void applyModelDefaults(const QCommandLineParser &parser, const ModelRecord &model, TrainingConfig &config) const;
};

/// Seeds are stored as JSON numbers (doubles): above 2^53 they would not come back exactly.
constexpr qint64 kMaxSeed = qint64(1) << 53;
/// The most labelled target examples per class a few-shot run or a sweep may ask for.
constexpr qint64 kMaxTargetLabels = 100000000;
/// The most runs one `run --seeds N` creates (and seeds per cell of a benchmark).
constexpr qint64 kMaxSeeds = 100;

/// The whole number `text` given with --`flag`, parsed exactly (no rounding, no wrap-around) and
/// checked against [min, max]; the failure names the flag, the value and the range.
Result<qint64> parseInteger(const QString &flag, const QString &text, qint64 min, qint64 max);

/// The run id given with `option` (--run ID), or -1 when it is missing or not a positive whole number.
qint64 runIdOf(const QCommandLineParser &parser, const QCommandLineOption &option);

/// Parses a label budget of --`flag`: "all" as -1, otherwise a whole number from 0 to kMaxTargetLabels.
Result<int> parseBudget(const QString &flag, const QString &text);

/// Applies the whole-number flag `option`, when set, to `field`; false (with `error`) when it is
/// not a whole number from `min` to `max`.
template <typename T>
bool applyInteger(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min, qint64 max, T &field,
                  QString *error)
{
    if (!parser.isSet(option))
        return true;
    const Result<qint64> value = parseInteger(option.names().first(), parser.value(option), min, max);
    if (!value) {
        *error = value.error();
        return false;
    }
    field = T(value.value());
    return true;
}

/// Applies the real-number flag `option`, when set, to `field`; false (with `error`) when it is
/// not a finite number from `min` to `max`.
bool applyReal(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max, double &field,
               QString *error);

/// Reads the --set KEY=VALUE strategy options, typed and checked by the strategy's option schema.
bool applyStrategyOptions(const QStringList &settings, const StrategyDescriptor &strategy, QJsonObject &options,
                          QString *error);

} // namespace ts::cli
