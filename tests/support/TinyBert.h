#pragma once
// A small BERT classifier built from a config written in code (no files), with the same weights
// for the same seed: for trainer tests that need a real model, not a pretrained one.

#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ts::test {

struct TinyBertShape
{
    int vocab = 200;
    int hidden = 64;
    int layers = 2;
    int heads = 4;
    int intermediate = 128;
    int positions = 64;
    bool dropout = true; // BERT's default 0.1, or none (exact comparisons between runs)
};

/// A freshly initialised (torch seeded with `seed`) BERT of `shape` with a `numLabels`-class head.
inline std::shared_ptr<PretrainedModel> tinyBertClassifier(const TinyBertShape &shape, uint64_t seed = 5,
                                                           int numLabels = 2)
{
    QJsonObject json{{QStringLiteral("model_type"), QStringLiteral("bert")},
                     {QStringLiteral("vocab_size"), shape.vocab},
                     {QStringLiteral("hidden_size"), shape.hidden},
                     {QStringLiteral("num_hidden_layers"), shape.layers},
                     {QStringLiteral("num_attention_heads"), shape.heads},
                     {QStringLiteral("intermediate_size"), shape.intermediate},
                     {QStringLiteral("max_position_embeddings"), shape.positions},
                     {QStringLiteral("type_vocab_size"), 2},
                     {QStringLiteral("hidden_act"), QStringLiteral("gelu")},
                     {QStringLiteral("pad_token_id"), 0}};
    if (!shape.dropout) {
        json.insert(QStringLiteral("hidden_dropout_prob"), 0.0);
        json.insert(QStringLiteral("attention_probs_dropout_prob"), 0.0);
    }
    const auto config = ModelConfig::fromJson(QJsonDocument(json).toJson(), QStringLiteral("tiny"));
    torch::manual_seed(seed);
    return PretrainedModel::create(config.value(), ModelTask::SequenceClassification, numLabels).value();
}

} // namespace ts::test
