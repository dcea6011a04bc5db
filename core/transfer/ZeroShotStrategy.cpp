#include "transfer/ZeroShotStrategy.h"

#include "train/ClassificationMetrics.h"
#include "train/EvaluationBatches.h"
#include "project/RunVocabulary.h"
#include "train/RunControl.h"
#include "transfer/DomainAdversarialObjective.h"
#include "transfer/PromptSetup.h"

#include <QObject>

#include <functional>
#include <numeric>
#include <optional>

namespace ts {

namespace {
// Cosine similarities lie in [-1, 1]; divided by this before the softmax so that probabilities
// are not all near 1/C (the temperature of contrastive sentence encoders).
constexpr double kSimilarityTemperature = 0.05;
} // namespace

QStringList ZeroShotStrategy::descriptions(const QString &setting, const QStringList &classes)
{
    QStringList result = classes;
    for (const QString &entry : setting.split(QLatin1Char('|'), Qt::SkipEmptyParts)) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const qsizetype index = classes.indexOf(entry.left(eq).trimmed());
        if (index >= 0)
            result[index] = entry.mid(eq + 1).trimmed();
    }
    return result;
}

torch::Tensor ZeroShotStrategy::scoreBySimilarity(TransferContext &ctx, PretrainedModel &model, const TokenizedSet &set,
                                                  const QStringList &descriptions)
{
    QList<LabelledText> labelTexts;
    for (const QString &d : descriptions)
        labelTexts.append({d, -1});
    const TokenizedSet labels = TokenizedSet::build(QStringLiteral("labels"), ctx.tokenizer, labelTexts,
                                                    ctx.config.maxLength, 0);
    const auto embed = [&](const TokenizedSet &texts, const QList<int> &indices) {
        const Batch batch = Batch::gather(texts, indices, ctx.tokenizer.padId(), ctx.device);
        const auto hidden = model.encode(batch.ids, batch.mask).hidden;
        return torch::nn::functional::normalize(DomainAdversarialObjective::meanPool(hidden, batch.mask).to(torch::kFloat32),
                                                torch::nn::functional::NormalizeFuncOptions().dim(1));
    };
    QList<int> all(labels.size());
    std::iota(all.begin(), all.end(), 0);
    const auto labelVectors = embed(labels, all); // (C,H)
    torch::Tensor scores = torch::zeros({set.size(), labels.size()}, torch::kFloat32); // (N, C)
    for (const QList<int> &indices : EvaluationBatches::byLength(set, ctx.config.batchSize * 2)) {
        const auto rows = torch::tensor(std::vector<int64_t>(indices.begin(), indices.end()), torch::kLong);
        scores.index_copy_(0, rows, torch::matmul(embed(set, indices), labelVectors.t()).cpu()); // (B, C)
    }
    return scores;
}

void ZeroShotStrategy::logCalibration(TransferContext &ctx, const PromptClassifier &classifier)
{
    const torch::Tensor probabilities = classifier.contentFree(); // (classes)
    QStringList shown;
    for (int c = 0; c < int(ctx.classes.size()); ++c)
        shown.append(QStringLiteral("%1 %2").arg(ctx.classes[c]).arg(probabilities[c].item<double>(), 0, 'f', 3));
    ctx.log(QStringLiteral("contextual calibration: p(label | \"%1\") = %2")
                .arg(classifier.encoder().settings().contentFree, shown.join(QStringLiteral(", "))));
}

Result<PhaseResult> ZeroShotStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const bool decoder = ctx.languageModelTask() == ModelTask::CausalLm;
    const bool prompted = descriptor().scoresThroughPrompt(ctx.config, decoder);
    // Nothing trains: the backbone stays in its stored dtype (bf16/fp16).
    auto model = ctx.loadModel(decoder ? ModelTask::CausalLm : prompted ? ModelTask::MaskedLm : ModelTask::Embedding,
                               true);
    if (!model)
        return R::failure(model.error());
    model.value()->eval();
    torch::NoGradGuard noGrad;
    const QStringList labels = descriptions(descriptor().text(ctx.config, QString::fromLatin1(kLabelDescriptions)),
                                            ctx.classes);
    // Class probabilities (N, classes) of a split, float32 on the CPU.
    std::function<torch::Tensor(const TokenizedSet &)> probabilities;
    std::optional<PromptClassifier> classifier;
    if (prompted) {
        auto encoder = PromptSetup::prepare(ctx, descriptor(), decoder);
        if (!encoder)
            return R::failure(encoder.error());
        if (const Status s = PromptSetup::encodeSplits(ctx, encoder.value(), false); !s)
            return R::failure(s.error());
        auto created = PromptClassifier::create(model.value(), std::move(encoder.value()), int(ctx.classes.size()),
                                                ctx.tokenizer.padId(), ctx.device);
        if (!created)
            return R::failure(created.error());
        classifier.emplace(std::move(created.value()));
        if (classifier->contentFree().defined())
            logCalibration(ctx, *classifier);
        probabilities = [&](const TokenizedSet &set) { return classifier->probabilities(set, ctx.config.batchSize); };
    } else {
        ctx.log(QStringLiteral("zero-shot by description similarity over labels: %1").arg(labels.join(QStringLiteral(" | "))));
        // Cosine similarities are sharpened by kSimilarityTemperature before the softmax.
        probabilities = [&](const TokenizedSet &set) {
            return torch::softmax(scoreBySimilarity(ctx, *model.value(), set, labels) / kSimilarityTemperature, 1);
        };
    }
    // Measurements during training would be at step 0: the validation splits as measured.
    for (const TokenizedSet *set : {&ctx.sourceValidation, &ctx.targetValidation}) {
        if (set->isEmpty())
            continue;
        if (ctx.callbacks && ctx.callbacks->control && !ctx.callbacks->control->proceed())
            return PhaseResult{true, false, 0};
        const torch::Tensor predicted = probabilities(*set).argmax(1);
        ClassificationMetrics metrics(int(ctx.classes.size()));
        for (int i = 0; i < set->size(); ++i)
            metrics.add(int(predicted[i].item<int64_t>()), set->labels[i]);
        if (metrics.count() == 0)
            continue;
        const QList<std::pair<QLatin1String, double>> values = {{Metrics::kAccuracy, metrics.accuracy()},
                                                                {Metrics::kMacroF1, metrics.macroF1()},
                                                                {Metrics::kExamples, double(set->size())},
                                                                {Metrics::kAvailable, double(set->available)}};
        for (const auto &[name, value] : values) {
            if (const Status s = ctx.sink->add(0, 0.0, set->name, QString(name), value); !s)
                return R::failure(s.error());
        }
    }
    // The result: every text of the final splits, with probabilities.
    for (const TokenizedSet *set : ctx.finalSets()) {
        if (ctx.callbacks && ctx.callbacks->control && !ctx.callbacks->control->proceed())
            return PhaseResult{true, false, 0};
        if (const Status s = ctx.recordPredictions(*set, probabilities(*set).contiguous()); !s)
            return R::failure(s.error());
    }
    if (const Status s = ctx.sink->flush(); !s)
        return R::failure(s.error());
    return PhaseResult{};
}

const StrategyDescriptor &ZeroShotStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Zero-shot (no training)");
        d.description = QObject::tr("No training at all. A decoder picks the label whose label word it finds most "
                                    "likely after the prompt; an encoder with a prompt or label words picks the word "
                                    "its masked-LM head prefers at the prompt's mask, otherwise the label whose "
                                    "description is nearest the text. With demonstrations: in-context few-shot "
                                    "(solved examples before each text), optionally calibrated. The baseline every "
                                    "other strategy must beat.");
        d.options = {{QString::fromLatin1(kLabelDescriptions), QObject::tr("Label descriptions"), StrategyOption::Kind::Text,
                      QString(), 0, 0, {},
                      QObject::tr("One description per label, e.g. \"0=a negative review|1=a positive review\", "
                                  "for encoders without a prompt (and decoders without label words). Without it, "
                                  "the label names themselves are used.")}};
        d.options.append(PromptSettings::options(true));
        d.usesPrompt = true;
        d.promptScoring = StrategyDescriptor::PromptScoring::DecodersOrWhenSet;
        // Without label words, a prompt scores each label's description.
        d.defaultLabelWords = [](const TrainingConfig &config, const QStringList &classes) {
            return descriptions(descriptor().text(config, QString::fromLatin1(kLabelDescriptions)), classes);
        };
        d.trains = StrategyDescriptor::Trains::Nothing;
        d.baseline = StrategyDescriptor::Baseline::Untrained;
        d.phases = {QStringLiteral("evaluation")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new ZeroShotStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
