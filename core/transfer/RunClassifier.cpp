#include "transfer/RunClassifier.h"

#include "train/DomainDataLoader.h"
#include "train/TrainingTexts.h"
#include "transfer/StrategyRegistry.h"

namespace ts {

Result<RunClassifier> RunClassifier::load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir)
{
    using R = Result<RunClassifier>;
    auto trained = TrainedModel::load(db, run, scratchDir, TrainedModel::Use::Predict);
    if (!trained)
        return R::failure(trained.error());
    if (trained->task != ModelTask::SequenceClassification && !trained->scoresThroughPrompt)
        return R::failure(QStringLiteral("run %1 (%2) trains a language model, not a classifier: it predicts no labels")
                              .arg(run.id)
                              .arg(run.strategy));
    auto tokenizer = Tokenizer::fromFile(trained->loaded.folder.tokenizerFile());
    if (!tokenizer)
        return R::failure(tokenizer.error());
    const torch::Device cpu(torch::kCPU);
    RunClassifier c(std::move(trained.value()), std::move(tokenizer.value()));
    if (!c.m_trained.scoresThroughPrompt) {
        c.m_head = std::make_unique<ClassificationObjective>(c.m_trained.loaded.model, int(c.m_trained.classes.size()),
                                                             c.m_tokenizer.padId(), cpu);
        return c;
    }
    auto prompt = promptOf(db, run, c.m_trained, c.m_tokenizer);
    if (!prompt)
        return R::failure(prompt.error());
    c.m_prompt.emplace(std::move(prompt.value()));
    return c;
}

Result<PromptClassifier> RunClassifier::promptOf(const QSqlDatabase &db, const RunRecord &run,
                                                 const TrainedModel &trained, const Tokenizer &tokenizer)
{
    using R = Result<PromptClassifier>;
    const auto descriptor = StrategyRegistry::lookup(run.strategy);
    if (!descriptor)
        return R::failure(descriptor.error());
    const bool decoder = trained.task == ModelTask::CausalLm;
    const QStringList &classes = trained.classes;
    const auto settings = PromptSettings::read(*descriptor.value(), trained.config, classes, decoder);
    if (!settings)
        return R::failure(QStringLiteral("run %1: %2").arg(run.id).arg(settings.error()));
    Demonstrations demonstrations;
    if (settings->demonstrationsPerClass > 0) {
        // The pool the run drew its demonstrations from: its training texts, drawn again.
        const auto seed = std::uint64_t(trained.config.dataSeed);
        const auto source = DomainDataLoader::load(db, run.sourceCorpusId, classes, seed);
        if (!source)
            return R::failure(source.error());
        const auto target = DomainDataLoader::load(db, run.targetCorpusId, classes, seed);
        if (!target)
            return R::failure(target.error());
        const TrainingTexts texts = TrainingTexts::draw(source.value(), target.value(), trained.config, int(classes.size()));
        demonstrations = Demonstrations::forRun(texts, settings->demonstrationsPerClass, int(classes.size()),
                                                trained.config.dataSeed);
    }
    auto encoder = PromptEncoder::create(tokenizer, settings.value(), std::move(demonstrations), decoder,
                                         trained.config.maxLength);
    if (!encoder)
        return R::failure(encoder.error());
    return PromptClassifier::create(trained.loaded.model, std::move(encoder.value()), int(classes.size()),
                                    tokenizer.padId(), torch::Device(torch::kCPU));
}

Result<torch::Tensor> RunClassifier::probabilities(const TokenizedSet &set, int batchSize)
{
    if (!m_prompt)
        return m_head->classProbabilities(set, batchSize);
    const auto prompts = m_prompt->encoder().encodeSet(set);
    if (!prompts)
        return Result<torch::Tensor>::failure(prompts.error());
    return m_prompt->probabilities(prompts.value(), batchSize);
}

} // namespace ts
