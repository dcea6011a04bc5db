#include "transfer/MultitaskStrategy.h"

#include "corpus/CorpusStore.h"
#include "train/ClassificationObjective.h"
#include "train/DomainDataLoader.h"

#include <QObject>

#include <cmath>
#include <numeric>

namespace ts {

QList<int> MultitaskStrategy::quotas(const QList<int> &sizes, double temperature)
{
    double weightSum = 0.0;
    QList<double> weights;
    for (int n : sizes) {
        weights.append(std::pow(double(n), 1.0 / std::max(temperature, 1.0)));
        weightSum += weights.last();
    }
    const int total = std::accumulate(sizes.begin(), sizes.end(), 0);
    QList<int> result;
    for (double w : std::as_const(weights))
        result.append(weightSum > 0 ? int(std::lround(double(total) * w / weightSum)) : 0);
    return result;
}

Result<PhaseResult> MultitaskStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    const QStringList extra = descriptor().text(ctx.config, QString::fromLatin1(kExtraCorpora)).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (extra.isEmpty())
        return R::failure(QStringLiteral("multitask needs other labelled corpora: set extra_corpora "
                                         "(e.g. --set extra_corpora=books,dvd)"));
    QList<QList<LabelledText>> corpora{ctx.sourceTrainTexts};
    for (const QString &name : extra) {
        const auto id = CorpusStore::find(ctx.db, name.trimmed());
        if (!id)
            return R::failure(id.error());
        if (!id.value())
            return R::failure(QStringLiteral("extra_corpora: no corpus called \"%1\" in the project").arg(name));
        auto data = DomainDataLoader::load(ctx.db, *id.value(), ctx.classes, uint64_t(ctx.config.dataSeed));
        if (!data)
            return R::failure(data.error());
        if (data->unknownLabels > 0)
            ctx.log(QStringLiteral("%1: %2 documents have labels the source does not have and are left out")
                        .arg(name)
                        .arg(data->unknownLabels));
        QList<LabelledText> labelled;
        for (const LabelledText &t : std::as_const(data->train)) {
            if (t.label >= 0)
                labelled.append(t);
        }
        corpora.append(DomainDataLoader::cap(labelled, ctx.config.maxTrainExamples, uint64_t(ctx.config.dataSeed)));
    }
    QList<int> sizes;
    for (const auto &c : std::as_const(corpora))
        sizes.append(int(c.size()));
    const bool bySize = descriptor().text(ctx.config, QString::fromLatin1(kSampling)) == QLatin1String("size");
    const QList<int> quota = quotas(sizes, bySize ? 1.0 : descriptor().number(ctx.config, QString::fromLatin1(kTemperature)));

    TokenizedSet mixed;
    mixed.name = QStringLiteral("train");
    for (int c = 0; c < corpora.size(); ++c) {
        // Draw quota[c] examples, cycling through a seeded order when the quota exceeds the size.
        QList<LabelledText> drawn;
        const QList<LabelledText> order = DomainDataLoader::cap(corpora[c], int(corpora[c].size()),
                                                                uint64_t(ctx.config.dataSeed) + uint64_t(c));
        for (int i = 0; i < quota[c] && !order.isEmpty(); ++i)
            drawn.append(order[i % order.size()]);
        mixed.append(TokenizedSet::build(QStringLiteral("train"), ctx.tokenizer, drawn, ctx.config.maxLength, 0));
        ctx.log(QStringLiteral("multi-task: %1 of %2 examples from %3")
                    .arg(quota[c])
                    .arg(sizes[c])
                    .arg(c == 0 ? ctx.sourceName : extra[c - 1]));
    }
    // Few-shot target examples stay in the mix.
    for (int i = 0; i < ctx.train.size(); ++i) {
        if (ctx.train.domains[i] == 1) {
            mixed.ids.push_back(ctx.train.ids[size_t(i)]);
            mixed.labels.append(ctx.train.labels[i]);
            mixed.domains.append(1);
        }
    }
    ctx.train = mixed;

    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return R::failure(model.error());
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

const StrategyDescriptor &MultitaskStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Multi-task");
        d.description = QObject::tr("Trains one model on several labelled corpora at once (the source plus the ones you "
                                    "add), sampling batches by corpus size or evenly. More varied training data often "
                                    "transfers better.");
        d.options = {{QString::fromLatin1(kExtraCorpora), QObject::tr("Additional corpora"), Kind::Text, QString(), 0, 0,
                      {}, QObject::tr("Comma-separated names of other labelled corpora to train on with the source.")},
                     {QString::fromLatin1(kSampling), QObject::tr("Sampling"), Kind::Choice, QStringLiteral("temperature"),
                      0, 0, {QStringLiteral("size"), QStringLiteral("temperature")},
                      QObject::tr("size: in proportion to each corpus; temperature: flattened towards equal shares.")},
                     {QString::fromLatin1(kTemperature), QObject::tr("Temperature"), Kind::Real, 2.0, 1.0, 100, {},
                      QObject::tr("Shares proportional to size^(1/T): 1 is by size, larger is more even.")}};
        d.phases = {QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new MultitaskStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
