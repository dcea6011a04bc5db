#include "transfer/JointMlmStrategy.h"

#include "model/nn/CausalLmHead.h"
#include "model/nn/MaskedLmHead.h"
#include "transfer/DomainAdaptivePretraining.h"
#include "transfer/JointLanguageModelObjective.h"
#include "transfer/LanguageModelPhase.h"

#include <QObject>

namespace ts {

Result<std::shared_ptr<ModelHead>> JointMlmStrategy::languageModelHead(const PretrainedModel &model,
                                                                       PretrainedModel &languageModel, ModelTask task)
{
    using R = Result<std::shared_ptr<ModelHead>>;
    const torch::Tensor words = model.backbone()->wordEmbeddings(); // (V,H)
    std::shared_ptr<ModelHead> head;
    if (task == ModelTask::MaskedLm)
        head = std::make_shared<MaskedLmHead>(languageModel.config(), words);
    else
        head = std::make_shared<CausalLmHead>(languageModel.config(), words);
    // Same modules, same names: copy the trained head's values (the tied decoder is not among them).
    const auto source = languageModel.head()->named_parameters();
    torch::NoGradGuard noGrad;
    for (auto &item : head->named_parameters()) {
        const torch::Tensor *from = source.find(item.key());
        if (!from)
            return R::failure(QStringLiteral("the language-model head has no tensor \"%1\"")
                                  .arg(QString::fromStdString(item.key())));
        item.value().copy_(*from);
    }
    head->to(words.device());
    return head;
}

Result<PhaseResult> JointMlmStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const StrategyDescriptor &d = descriptor();
    auto start = DomainAdaptivePretraining::run(ctx, d);
    if (!start)
        return R::failure(start.error());
    if (start->cancelled)
        return *start->cancelled;
    const std::shared_ptr<PretrainedModel> &model = start->model;
    const ModelTask task = ctx.languageModelTask();

    // Loading the LM model and building its head draw from the CPU generator; restoring it keeps
    // the classifier's training (dropout) on the stream source-only uses, so that lm_weight 0 is
    // source-only exactly.
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    const torch::Tensor rngState = generator.get_state();
    const double weight = d.number(ctx.config, QString::fromLatin1(kLmWeight));
    const double maskProbability = d.number(ctx.config, QString::fromLatin1(DomainAdaptivePretraining::kMaskProbability));
    std::shared_ptr<PretrainedModel> languageModel = start->languageModel;
    int jointPhase = start->firstPhase;
    if (!languageModel) {
        QStringList initialised;
        auto loaded = ctx.loadModel(task, false, &initialised);
        if (!loaded)
            return R::failure(loaded.error());
        languageModel = loaded.value();
        const double warmup = d.number(ctx.config, QString::fromLatin1(kHeadWarmupEpochs));
        if (!initialised.isEmpty() && warmup > 0 && weight > 0) {
            jointPhase = 1;
            // Resuming the joint phase: its checkpoint holds the warmed-up head.
            const bool resumingLater = ctx.resume && ctx.resume->state.value(QLatin1String("phase")).toInt() >= 1;
            if (!resumingLater) {
                const double rate = d.number(ctx.config, QString::fromLatin1(kHeadWarmupLearningRate));
                auto warm = LanguageModelPhase::warmUpHead(ctx, languageModel, ctx.targetUnlabeled, warmup,
                                                           rate > 0 ? rate : ctx.config.learningRate, maskProbability, 0);
                if (!warm)
                    return R::failure(warm.error());
                if (warm->cancelled)
                    return warm.value();
            }
        }
    }
    auto head = languageModelHead(*model, *languageModel, task);
    generator.set_state(rngState);
    if (!head)
        return R::failure(head.error());
    languageModel.reset(); // its backbone is not trained: only its head's values were needed

    auto lm = LanguageModelPhase::objective(ctx, nullptr, maskProbability);
    if (!lm)
        return R::failure(lm.error());
    JointLanguageModelObjective::Settings settings;
    settings.weight = weight;
    settings.batchSize = ctx.config.batchSize;
    settings.seed = uint64_t(ctx.config.dataSeed) + 2;
    JointLanguageModelObjective objective(model, int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device,
                                          std::move(lm.value()), head.value(), ctx.targetUnlabeled, settings);
    ctx.log(QStringLiteral("joint training: source labels + %1 x %2 on %3 unlabelled target texts")
                .arg(settings.weight)
                .arg(task == ModelTask::MaskedLm ? QStringLiteral("masked-LM") : QStringLiteral("causal-LM"))
                .arg(ctx.targetUnlabeled.size()));
    return ctx.fineTune(model, objective, ctx.parameterGroups(*model, objective.extraParameters()), jointPhase);
}

const StrategyDescriptor &JointMlmStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Joint task + language model (UDALM)");
        d.description = QObject::tr("Trains the classifier on the source labels and, at the same time and with the same "
                                    "network, keeps predicting hidden words (encoders) or next words (decoders) of the "
                                    "target's unlabelled text (Karouzos et al. 2021). The model learns the target's "
                                    "language while it learns the task, so it forgets neither. Among the strongest "
                                    "methods for review and similar domains; needs unlabelled target text.");
        d.options = {{QString::fromLatin1(kLmWeight), QObject::tr("Language-model weight"), Kind::Real, 0.1, 0.0, 10, {},
                      QObject::tr("How much the target language-model loss counts beside the classification loss "
                                  "(weight 1). A masked-word loss is several times the class loss, and both "
                                  "gradients are clipped together, so a large weight starves the classifier: on "
                                  "all-MiniLM-L6-v2 (music -> video, 400 texts) 0.5 lost 11 points of target "
                                  "accuracy, 0.1 stayed within 2 of source-only. 0 trains the classifier alone "
                                  "(source only). Watch the gradient norm chart: a norm far above the clipping "
                                  "limit means this weight is too large.")}};
        d.options.append({QString::fromLatin1(kHeadWarmupEpochs), QObject::tr("Head warm-up epochs"), Kind::Real, 1.0,
                          0.0, 100, {},
                          QObject::tr("Only for a model without a pretrained language-model head (sentence-embedding "
                                      "models such as all-MiniLM-L6-v2): passes over the target's unlabelled text "
                                      "that train the new head alone, the encoder frozen, before the joint phase. A "
                                      "random head's gradient is many times the task's, and clipping the sum scales "
                                      "the task's part down with it. 0: no warm-up.")});
        d.options.append({QString::fromLatin1(kHeadWarmupLearningRate), QObject::tr("Head warm-up learning rate"),
                          Kind::Real, 1e-3, 0.0, 10, {},
                          QObject::tr("Learning rate of the head warm-up; 0 uses the fine-tuning learning rate.")});
        d.options.append(DomainAdaptivePretraining::options(0.0, 0.0));
        d.needsUnlabelledTarget = true;
        d.phases = {QStringLiteral("pretrain (when pretrain_epochs > 0)"),
                    QStringLiteral("head warm-up (when the model has no pretrained language-model head)"),
                    QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new JointMlmStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
