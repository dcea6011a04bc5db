#include "transfer/ZeroShotStrategy.h"

#include "train/ClassificationMetrics.h"
#include "train/EvaluationBatches.h"
#include "project/RunVocabulary.h"
#include "train/RunControl.h"
#include "transfer/DomainAdversarialObjective.h"

#include <QObject>

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

torch::Tensor ZeroShotStrategy::scoreByLikelihood(TransferContext &ctx, PretrainedModel &model, const TokenizedSet &set,
                                                  const QStringList &descriptions)
{
    EncodeOptions plain;
    plain.addSpecialTokens = false;
    std::vector<std::vector<long long>> labelIds;
    for (const QString &d : descriptions) {
        const auto ids = ctx.tokenizer.encode(QLatin1Char(' ') + d, plain).ids;
        labelIds.emplace_back(ids.begin(), ids.end());
    }
    torch::Tensor scores = torch::zeros({set.size(), int64_t(labelIds.size())}, torch::kFloat32); // (N, C)
    for (int i = 0; i < set.size(); ++i) {
        // One row per label: the text, then the label's description; score = mean log-probability
        // of the description's tokens.
        TokenizedSet rows;
        for (const auto &label : labelIds) {
            std::vector<long long> ids = set.ids[size_t(i)];
            const size_t room = size_t(std::max(1, ctx.config.maxLength)) - std::min(label.size(), size_t(ctx.config.maxLength - 1));
            if (ids.size() > room)
                ids.resize(room);
            ids.insert(ids.end(), label.begin(), label.end());
            rows.ids.push_back(ids);
            rows.labels.append(-1);
            rows.domains.append(0);
        }
        QList<int> indices(rows.size());
        std::iota(indices.begin(), indices.end(), 0);
        const Batch batch = Batch::gather(rows, indices, ctx.tokenizer.padId(), ctx.device);
        const auto logProbs = torch::log_softmax(model.forward(batch.ids, batch.mask).to(torch::kFloat32), -1); // (C,T,V)
        for (int c = 0; c < rows.size(); ++c) {
            const int64_t length = int64_t(rows.ids[size_t(c)].size());
            const int64_t count = int64_t(labelIds[size_t(c)].size());
            double score = 0.0;
            for (int64_t t = length - count; t < length; ++t)
                score += logProbs[c][t - 1][rows.ids[size_t(c)][size_t(t)]].item<double>();
            scores[i][c] = score / double(std::max<int64_t>(1, count));
        }
    }
    return scores;
}

Result<PhaseResult> ZeroShotStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const bool decoder = ctx.languageModelTask() == ModelTask::CausalLm;
    auto model = ctx.loadModel(decoder ? ModelTask::CausalLm : ModelTask::Embedding);
    if (!model)
        return R::failure(model.error());
    model.value()->eval();
    torch::NoGradGuard noGrad;
    const QStringList labels = descriptions(descriptor().text(ctx.config, QString::fromLatin1(kLabelDescriptions)),
                                            ctx.classes);
    ctx.log(QStringLiteral("zero-shot by %1 over labels: %2")
                .arg(decoder ? QStringLiteral("label likelihood") : QStringLiteral("description similarity"),
                     labels.join(QStringLiteral(" | "))));
    const auto score = [&](const TokenizedSet &set) {
        return decoder ? scoreByLikelihood(ctx, *model.value(), set, labels)
                       : scoreBySimilarity(ctx, *model.value(), set, labels);
    };
    // Measurements during training would be at step 0: the validation splits as measured.
    for (const TokenizedSet *set : {&ctx.sourceValidation, &ctx.targetValidation}) {
        if (set->isEmpty())
            continue;
        if (ctx.callbacks && ctx.callbacks->control && !ctx.callbacks->control->proceed())
            return PhaseResult{true, false, 0};
        const torch::Tensor predicted = score(*set).argmax(1);
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
    // The result: every text of the final splits, with probabilities. Cosine similarities are
    // sharpened by kSimilarityTemperature before the softmax; log-likelihoods are used as they are.
    for (const TokenizedSet *set : ctx.finalSets()) {
        if (ctx.callbacks && ctx.callbacks->control && !ctx.callbacks->control->proceed())
            return PhaseResult{true, false, 0};
        const torch::Tensor scores = score(*set);
        const torch::Tensor probabilities = torch::softmax(decoder ? scores : scores / kSimilarityTemperature, 1);
        if (const Status s = ctx.recordPredictions(*set, probabilities.contiguous()); !s)
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
        d.description = QObject::tr("No training at all. An encoder embeds each text and a short description of each "
                                    "label and picks the nearest label; a decoder picks the label whose description it "
                                    "finds most likely after the text. The baseline every other strategy must beat.");
        d.options = {{QString::fromLatin1(kLabelDescriptions), QObject::tr("Label descriptions"), StrategyOption::Kind::Text,
                      QString(), 0, 0, {},
                      QObject::tr("One description per label, e.g. \"0=a negative review|1=a positive review\". "
                                  "Without it, the label names themselves are used.")}};
        d.trains = StrategyDescriptor::Trains::Nothing;
        d.baseline = StrategyDescriptor::Baseline::Untrained;
        d.phases = {QStringLiteral("evaluation")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new ZeroShotStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
