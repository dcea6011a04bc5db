#include "transfer/StrategyCatalog.h"

#include <QObject>

namespace ts {

namespace {

using Kind = StrategyOption::Kind;

QList<StrategyInfo> buildCatalog()
{
    return {
        {QStringLiteral("zero-shot"), QObject::tr("Zero-shot (no training)"),
         QObject::tr("No training at all. An encoder embeds each text and a short description of each label and "
                     "picks the nearest label; a decoder picks the label whose description it finds most likely "
                     "after the text. The baseline every other strategy must beat."),
         false,
         {{QStringLiteral("label_descriptions"), QObject::tr("Label descriptions"), Kind::Text, QString(), 0, 0, {},
           QObject::tr("One description per label, e.g. \"0=a negative review|1=a positive review\". "
                       "Without it, the label names themselves are used.")}}},
        {QStringLiteral("source-only"), QObject::tr("Source only (fine-tune)"),
         QObject::tr("Fine-tunes the whole model on the labelled source corpus and measures it on the target. "
                     "The classic transfer baseline: how far does the source alone carry?"),
         true, {}},
        {QStringLiteral("freeze"), QObject::tr("Freeze lower layers"),
         QObject::tr("Keeps the embeddings and the lower layers exactly as pretrained and trains only the upper "
                     "layers and the classifier. Cheaper, and protects general knowledge when the source is small."),
         true,
         {{QStringLiteral("frozen_layers"), QObject::tr("Frozen layers"), Kind::Integer, -1, -1, 1000, {},
           QObject::tr("How many layers, counted from the input, stay fixed; -1 freezes the lower half.")},
          {QStringLiteral("freeze_embeddings"), QObject::tr("Freeze embeddings"), Kind::Flag, true, 0, 0, {},
           QObject::tr("Also keep the token and position embeddings fixed.")}}},
        {QStringLiteral("gradual-unfreeze"), QObject::tr("Gradual unfreezing (ULMFiT)"),
         QObject::tr("Starts by training only the classifier, then unfreezes one more layer from the top each "
                     "epoch, with smaller learning rates for lower layers (Howard & Ruder 2018). Avoids "
                     "overwriting what the model knows while the new classifier is still random."),
         true,
         {{QStringLiteral("unfreeze_every"), QObject::tr("Unfreeze every (epochs)"), Kind::Real, 1.0, 0.05, 100, {},
           QObject::tr("How often one more layer is unfrozen, in epochs.")},
          {QStringLiteral("layer_decay"), QObject::tr("Layer learning-rate decay"), Kind::Real, 2.6, 1.0, 10.0, {},
           QObject::tr("Each layer below trains with the learning rate of the layer above divided by this.")}}},
        {QStringLiteral("lora"), QObject::tr("LoRA adapters"),
         QObject::tr("Keeps every pretrained weight fixed and trains small low-rank adapters beside the "
                     "attention projections (Hu et al. 2021), plus the classifier. Uses far less memory and "
                     "stores a tiny adapter instead of a whole model."),
         true,
         {{QStringLiteral("rank"), QObject::tr("Rank"), Kind::Integer, 8, 1, 1024, {},
           QObject::tr("Size of the adapters: larger learns more, costs more.")},
          {QStringLiteral("alpha"), QObject::tr("Alpha"), Kind::Real, 16.0, 0.01, 10000, {},
           QObject::tr("Scale of the adapters' contribution (alpha / rank).")},
          {QStringLiteral("dropout"), QObject::tr("Adapter dropout"), Kind::Real, 0.05, 0.0, 0.9, {},
           QObject::tr("Dropout on the adapters' input during training.")},
          {QStringLiteral("targets"), QObject::tr("Target modules"), Kind::Text,
           QStringLiteral("query,value,q_lin,v_lin,q_proj,v_proj"), 0, 0, {},
           QObject::tr("Comma-separated names of the linear layers that get adapters.")}}},
        {QStringLiteral("dapt"), QObject::tr("Domain-adaptive pre-training"),
         QObject::tr("First continues pre-training the model on the target's unlabelled text (masked words for "
                     "encoders, next words for decoders), so it learns the target's vocabulary and style; then "
                     "fine-tunes on the source labels (Gururangan et al. 2020). Helps when the target has plenty "
                     "of unlabelled text."),
         true,
         {{QStringLiteral("pretrain_epochs"), QObject::tr("Pre-training epochs"), Kind::Real, 1.0, 0.05, 100, {},
           QObject::tr("Passes over the target's unlabelled text before fine-tuning.")},
          {QStringLiteral("mask_probability"), QObject::tr("Masking probability"), Kind::Real, 0.15, 0.01, 0.9, {},
           QObject::tr("Share of tokens hidden for the masked-word objective (encoders).")},
          {QStringLiteral("pretrain_learning_rate"), QObject::tr("Pre-training learning rate"), Kind::Real, 0.0, 0.0, 10, {},
           QObject::tr("Learning rate of the pre-training phase; 0 uses the fine-tuning learning rate.")}}},
        {QStringLiteral("dann"), QObject::tr("Domain-adversarial (DANN)"),
         QObject::tr("Trains the model so that a second classifier cannot tell source from target text, while "
                     "still classifying the source correctly (Ganin et al. 2016). Helps when the target has no "
                     "labels: the features the classifier relies on must work in both domains."),
         true,
         {{QStringLiteral("domain_weight"), QObject::tr("Adversarial weight"), Kind::Real, 1.0, 0.0, 100, {},
           QObject::tr("Weight of the domain classifier's loss.")},
          {QStringLiteral("gamma"), QObject::tr("Lambda schedule gamma"), Kind::Real, 10.0, 0.1, 100, {},
           QObject::tr("How fast the reversed gradient ramps up from 0 to full strength.")},
          {QStringLiteral("domain_hidden"), QObject::tr("Domain classifier width"), Kind::Integer, 256, 8, 8192, {},
           QObject::tr("Hidden units of the domain classifier.")}}},
        {QStringLiteral("multitask"), QObject::tr("Multi-task"),
         QObject::tr("Trains one model on several labelled corpora at once (the source plus the ones you add), "
                     "sampling batches by corpus size or evenly. More varied training data often transfers better."),
         true,
         {{QStringLiteral("extra_corpora"), QObject::tr("Additional corpora"), Kind::Text, QString(), 0, 0, {},
           QObject::tr("Comma-separated names of other labelled corpora to train on with the source.")},
          {QStringLiteral("sampling"), QObject::tr("Sampling"), Kind::Choice, QStringLiteral("temperature"), 0, 0,
           {QStringLiteral("size"), QStringLiteral("temperature")},
           QObject::tr("size: in proportion to each corpus; temperature: flattened towards equal shares.")},
          {QStringLiteral("temperature"), QObject::tr("Temperature"), Kind::Real, 2.0, 1.0, 100, {},
           QObject::tr("Shares proportional to size^(1/T): 1 is by size, larger is more even.")}}},
        {QStringLiteral("continued-pretraining"), QObject::tr("Language-model transfer"),
         QObject::tr("Continues pre-training the language model on the target's text and tracks perplexity on "
                     "both domains: the target's falls as the model adapts, the source's rising shows forgetting."),
         true,
         {{QStringLiteral("include_source"), QObject::tr("Also source text"), Kind::Flag, false, 0, 0, {},
           QObject::tr("Train on the source's unlabelled text too (pre-training a model from scratch on both domains).")},
          {QStringLiteral("save_as"), QObject::tr("Save as model"), Kind::Text, QString(), 0, 0, {},
           QObject::tr("When set, the trained model is added to the project's models under this name.")},
          {QStringLiteral("mask_probability"), QObject::tr("Masking probability"), Kind::Real, 0.15, 0.01, 0.9, {},
           QObject::tr("Share of tokens hidden for the masked-word objective (encoders).")}}},
    };
}

} // namespace

const QList<StrategyInfo> &StrategyCatalog::all()
{
    static const QList<StrategyInfo> catalog = buildCatalog();
    return catalog;
}

const StrategyInfo *StrategyCatalog::find(const QString &name)
{
    for (const StrategyInfo &info : all()) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

QStringList StrategyCatalog::names()
{
    QStringList names;
    for (const StrategyInfo &info : all())
        names.append(info.name);
    return names;
}

} // namespace ts
