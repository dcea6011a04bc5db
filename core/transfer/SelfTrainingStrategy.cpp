#include "transfer/SelfTrainingStrategy.h"

#include "train/CheckpointTensors.h"
#include "train/ClassificationObjective.h"
#include "train/EvaluationBatches.h"
#include "transfer/DomainAdaptivePretraining.h"

#include <QObject>

#include <algorithm>
#include <limits>

namespace ts {

namespace {

constexpr const char *kPseudoSplit = "target/unlabeled"; // where the count of pseudo-labels is recorded

} // namespace

const StrategyDescriptor &SelfTrainingStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Self-training (pseudo-labels)");
        d.description = QObject::tr("Fine-tunes on the source labels, then lets the model label the target's "
                                    "unlabelled text itself: the predictions it is most sure of, the same number for "
                                    "every class, join the training data for another round. Helps when the source "
                                    "model is already fairly good on the target and the target has plenty of "
                                    "unlabelled text.");
        d.options = {{QString::fromLatin1(kRounds), QObject::tr("Rounds"), Kind::Integer, 2, 1, 20, {},
                      QObject::tr("How many times the target is pseudo-labelled and trained on again.")},
                     {QString::fromLatin1(kConfidence), QObject::tr("Confidence threshold"), Kind::Real, 0.9, 0.5, 1.0,
                      {}, QObject::tr("Only predictions at least this sure (softmax probability) become pseudo-labels.")},
                     {QString::fromLatin1(kMaxPerClass), QObject::tr("Pseudo-labels per class"), Kind::Integer, 0, 0,
                      1000000, {},
                      QObject::tr("At most this many pseudo-labelled texts per class and round; 0: as many as the "
                                  "rarest class has.")},
                     {QString::fromLatin1(kRoundEpochs), QObject::tr("Epochs per round"), Kind::Real, 1.0, 0.05, 100,
                      {}, QObject::tr("Passes over the source plus the pseudo-labelled texts in each round.")}};
        d.options.append(DomainAdaptivePretraining::options(0.0, 0.0));
        d.needsUnlabelledTarget = true;
        d.phases = {QStringLiteral("pretrain (when pretrain_epochs > 0)"), QStringLiteral("fine-tuning"),
                    QStringLiteral("self-training rounds")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new SelfTrainingStrategy); };
        return d;
    }();
    return d;
}

QList<SelfTrainingStrategy::PseudoLabel> SelfTrainingStrategy::selectBalanced(const QList<PseudoLabel> &predictions,
                                                                              int classes, double threshold,
                                                                              int maxPerClass)
{
    QList<QList<PseudoLabel>> byClass(classes);
    for (const PseudoLabel &p : predictions) {
        if (p.confidence >= threshold && p.label >= 0 && p.label < classes)
            byClass[p.label].append(p);
    }
    qsizetype perClass = maxPerClass > 0 ? maxPerClass : std::numeric_limits<qsizetype>::max();
    for (const auto &group : std::as_const(byClass))
        perClass = std::min(perClass, group.size());
    QList<PseudoLabel> selected;
    for (QList<PseudoLabel> &group : byClass) {
        // Most confident first; ties by index, so that the choice does not depend on the sort.
        std::sort(group.begin(), group.end(), [](const PseudoLabel &a, const PseudoLabel &b) {
            return a.confidence != b.confidence ? a.confidence > b.confidence : a.index < b.index;
        });
        selected.append(group.mid(0, perClass));
    }
    std::sort(selected.begin(), selected.end(), [](const PseudoLabel &a, const PseudoLabel &b) { return a.index < b.index; });
    return selected;
}

QList<SelfTrainingStrategy::PseudoLabel> SelfTrainingStrategy::predict(TransferContext &ctx,
                                                                       ClassificationObjective &objective,
                                                                       PretrainedModel &model)
{
    model.eval();
    torch::NoGradGuard noGrad;
    QList<PseudoLabel> predictions;
    const TokenizedSet &pool = ctx.targetUnlabeled;
    for (const QList<int> &indices : EvaluationBatches::byLength(pool, ctx.config.batchSize * 2)) {
        const Batch batch = Batch::gather(pool, indices, ctx.tokenizer.padId(), ctx.device);
        const auto probabilities = torch::softmax(objective.logits(batch).to(torch::kFloat32), 1).cpu(); // (B,C)
        const auto [confidence, label] = probabilities.max(1);                                           // (B), (B)
        for (int i = 0; i < indices.size(); ++i)
            predictions.append({indices[i], int(label[i].item<int64_t>()), confidence[i].item<double>()});
    }
    model.train();
    return predictions;
}

Result<PhaseResult> SelfTrainingStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const StrategyDescriptor &d = descriptor();
    const int rounds = int(d.number(ctx.config, QString::fromLatin1(kRounds)));
    const double threshold = d.number(ctx.config, QString::fromLatin1(kConfidence));
    const int maxPerClass = int(d.number(ctx.config, QString::fromLatin1(kMaxPerClass)));
    auto start = DomainAdaptivePretraining::run(ctx, d);
    if (!start)
        return R::failure(start.error());
    if (start->cancelled)
        return *start->cancelled;
    // Phases: [pre-training,] fine-tuning, then one per round; `round` counts from the fine-tuning.
    const int offset = start->firstPhase;
    const int resumePhase = ctx.resume ? ctx.resume->state.value(QLatin1String("phase")).toInt() - offset : 0;
    const std::shared_ptr<PretrainedModel> model = start->model;
    ClassificationObjective objective(model, int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    const TokenizedSet source = ctx.train;

    PhaseResult last;
    for (int round = std::max(0, resumePhase); round <= rounds; ++round) {
        TokenizedSet train = source;
        TrainingPhase phase;
        phase.index = offset + round;
        phase.objective = &objective;
        phase.model = model;
        phase.groups = ctx.parameterGroups(*model);
        phase.evaluations = {&ctx.sourceValidation, &ctx.targetValidation};
        phase.epochs = round == 0 ? double(ctx.config.epochs) : d.number(ctx.config, QString::fromLatin1(kRoundEpochs));
        phase.learningRate = ctx.config.learningRate;
        if (round == 0) {
            phase.name = QStringLiteral("fine-tuning");
        } else {
            phase.name = QStringLiteral("self-training round %1").arg(round);
            const bool resumingRound = ctx.resume && round == resumePhase;
            if (resumingRound) {
                // Label with the weights the run stopped at: the round's starting weights are not kept
                // (checkpoints hold the newest position only), so a resumed round may pick other texts.
                const QString name = QStringLiteral("run %1's checkpoint").arg(ctx.run.id);
                const auto tensors = CheckpointTensors::decode(ctx.resume->tensors, name);
                if (!tensors)
                    return R::failure(tensors.error());
                if (const Status s = CheckpointTensors::restoreModule(*model, tensors.value(), "model.", name); !s)
                    return R::failure(s.error());
            }
            const QList<PseudoLabel> selected =
                selectBalanced(predict(ctx, objective, *model), int(ctx.classes.size()), threshold, maxPerClass);
            // A resumed round's count was recorded when it started (before its checkpoint).
            if (!resumingRound) {
                if (const Status s = ctx.sink->add(ctx.trainer->globalStep(), 0.0, QString::fromLatin1(kPseudoSplit),
                                                   QStringLiteral("pseudo_labels"), double(selected.size()));
                    !s)
                    return R::failure(s.error());
            }
            ctx.log(QStringLiteral("%1: %2 of %3 unlabelled target texts pseudo-labelled (confidence >= %4, the same "
                                   "number per class)")
                        .arg(phase.name)
                        .arg(selected.size())
                        .arg(ctx.targetUnlabeled.size())
                        .arg(threshold));
            for (const PseudoLabel &p : selected) {
                train.ids.push_back(ctx.targetUnlabeled.ids[size_t(p.index)]);
                train.labels.append(p.label);
                train.domains.append(1);
            }
        }
        phase.train = &train;
        const auto result = ctx.trainer->run(phase, round == resumePhase ? ctx.resume : std::nullopt);
        if (!result)
            return result;
        if (result->cancelled)
            return result;
        last = result.value();
    }
    if (const Status s = ctx.finalEvaluation(objective); !s)
        return R::failure(s.error());
    return last;
}

} // namespace ts
