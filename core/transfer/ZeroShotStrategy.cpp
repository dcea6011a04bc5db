#include "transfer/ZeroShotStrategy.h"

#include "train/ClassificationMetrics.h"
#include "train/EvaluationBatches.h"
#include "project/RunVocabulary.h"
#include "train/RunControl.h"
#include "transfer/ContextualCalibration.h"
#include "transfer/DomainAdversarialObjective.h"
#include "transfer/PromptObjective.h"
#include "transfer/PromptSetup.h"

#include <QObject>

#include <functional>

#include <numeric>

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

Result<torch::Tensor> ZeroShotStrategy::contentFreeProbabilities(TransferContext &ctx, const PromptEncoder &encoder,
                                                                  ClassificationObjective &objective)
{
    const QString input = encoder.settings().contentFree;
    const auto ids = encoder.encode(input);
    if (!ids)
        return Result<torch::Tensor>::failure(ids.error());
    TokenizedSet reference;
    reference.name = QStringLiteral("content-free input");
    reference.ids.push_back(ids.value());
    reference.labels.append(-1);
    reference.domains.append(0);
    const torch::Tensor probabilities = objective.classProbabilities(reference, 1)[0]; // (classes)
    QStringList shown;
    for (int c = 0; c < int(ctx.classes.size()); ++c)
        shown.append(QStringLiteral("%1 %2").arg(ctx.classes[c]).arg(probabilities[c].item<double>(), 0, 'f', 3));
    ctx.log(QStringLiteral("contextual calibration: p(label | \"%1\") = %2").arg(input, shown.join(QStringLiteral(", "))));
    return probabilities;
}

Result<PhaseResult> ZeroShotStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const bool decoder = ctx.languageModelTask() == ModelTask::CausalLm;
    const bool prompted = decoder || PromptSettings::isSet(ctx.config);
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
    std::unique_ptr<PromptObjective> objective;
    torch::Tensor contentFree;
    if (prompted) {
        const auto encoder = PromptSetup::prepare(ctx, descriptor(), decoder, labels);
        if (!encoder)
            return R::failure(encoder.error());
        if (const Status s = PromptSetup::encodeSplits(ctx, encoder.value(), false); !s)
            return R::failure(s.error());
        const int64_t padId = ctx.tokenizer.padId();
        objective = std::make_unique<PromptObjective>(
            model.value(), LabelWordScorer(encoder->wordIds(), encoder->maskId(), encoder->settings().wordScore, padId),
            int(ctx.classes.size()), padId, ctx.device);
        if (encoder->settings().calibrate) {
            auto reference = contentFreeProbabilities(ctx, encoder.value(), *objective);
            if (!reference)
                return R::failure(reference.error());
            contentFree = reference.value();
        }
        probabilities = [&](const TokenizedSet &set) {
            const torch::Tensor p = objective->classProbabilities(set, ctx.config.batchSize);
            return contentFree.defined() ? ContextualCalibration::apply(p, contentFree) : p;
        };
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
        d.trains = StrategyDescriptor::Trains::Nothing;
        d.baseline = StrategyDescriptor::Baseline::Untrained;
        d.phases = {QStringLiteral("evaluation")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new ZeroShotStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
