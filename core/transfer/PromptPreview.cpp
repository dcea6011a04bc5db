#include "transfer/PromptPreview.h"

#include "corpus/CorpusStore.h"
#include "train/DomainDataLoader.h"
#include "transfer/StrategyRegistry.h"

namespace ts {

namespace {

Result<qint64> corpusNamed(const QSqlDatabase &db, const QString &name)
{
    const auto found = CorpusStore::find(db, name);
    if (!found)
        return Result<qint64>::failure(found.error());
    if (!found.value())
        return Result<qint64>::failure(QStringLiteral("corpus \"%1\" does not exist in the project").arg(name));
    return *found.value();
}

} // namespace

bool PromptPreview::isDecoder(const ModelConfig &config)
{
    return config.family == ModelFamily::Gpt2 || config.family == ModelFamily::Llama;
}

Result<PromptPreview> PromptPreview::load(const QSqlDatabase &db, const RunRequest &request)
{
    using R = Result<PromptPreview>;
    const auto sourceId = corpusNamed(db, request.sourceCorpus);
    if (!sourceId)
        return R::failure(sourceId.error());
    const auto targetId = corpusNamed(db, request.targetCorpus);
    if (!targetId)
        return R::failure(targetId.error());
    PromptPreview p;
    const auto classes = DomainDataLoader::classes(db, sourceId.value());
    if (!classes)
        return R::failure(classes.error());
    p.m_classes = classes.value();
    p.m_dataSeed = quint64(request.config.dataSeed);
    p.m_strategy = request.config.strategy;
    const auto source = DomainDataLoader::load(db, sourceId.value(), p.m_classes, p.m_dataSeed);
    if (!source)
        return R::failure(source.error());
    const auto target = DomainDataLoader::load(db, targetId.value(), p.m_classes, p.m_dataSeed);
    if (!target)
        return R::failure(target.error());
    const QList<LabelledText> &result = target->test.isEmpty() ? target->validation : target->test;
    p.m_query = result.isEmpty() ? QString() : result.first().text;
    p.m_texts = TrainingTexts::draw(source.value(), target.value(), request.config, int(p.m_classes.size()));
    return p;
}

Result<QStringList> PromptPreview::words(const TrainingConfig &config, bool decoder) const
{
    const auto descriptor = StrategyRegistry::lookup(config.strategy);
    if (!descriptor)
        return Result<QStringList>::failure(descriptor.error());
    const auto settings = PromptSettings::read(*descriptor.value(), config, m_classes, decoder);
    if (!settings)
        return Result<QStringList>::failure(settings.error());
    return settings->words;
}

QString PromptPreview::demonstrationSource(const TrainingConfig &config) const
{
    if (config.option(QString::fromLatin1(PromptSettings::kDemonstrations), 0) <= 0)
        return {};
    return m_texts.target.isEmpty() ? QStringLiteral("the source's labels (the target has no few-shot labels)")
                              : QStringLiteral("the target's few labels");
}

Result<QString> PromptPreview::render(const TrainingConfig &config, bool decoder, const QString &maskToken) const
{
    using R = Result<QString>;
    const auto descriptor = StrategyRegistry::lookup(config.strategy);
    if (!descriptor)
        return R::failure(descriptor.error());
    const auto settings = PromptSettings::read(*descriptor.value(), config, m_classes, decoder);
    if (!settings)
        return R::failure(settings.error());
    const Demonstrations demonstrations = Demonstrations::forRun(m_texts, settings->demonstrationsPerClass,
                                                                 int(m_classes.size()), qint64(m_dataSeed));
    return settings->render(m_query, demonstrations, decoder ? QString() : maskToken);
}

} // namespace ts
