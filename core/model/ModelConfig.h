#pragma once

#include "model/DType.h"
#include "model/ModelFamily.h"
#include "model/RopeScaling.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace ts {

/// A Hugging Face config.json, parsed and validated: every size is checked against sane caps and the
/// estimated parameter count against kMaxParameters before anything is allocated. Value type.
struct ModelConfig
{
    ModelFamily family = ModelFamily::Bert;
    QString modelType;              // config "model_type", e.g. "qwen2"
    QStringList architectures;      // config "architectures", e.g. "BertForMaskedLM"
    qint64 vocabSize = 0;
    qint64 hiddenSize = 0;          // H
    qint64 numLayers = 0;
    qint64 numHeads = 0;
    qint64 numKvHeads = 0;          // grouped-query attention (Llama family); numHeads elsewhere
    qint64 intermediateSize = 0;    // feed-forward inner size
    qint64 maxPositions = 0;        // learned position table size (rotary models: the trained context)
    qint64 typeVocabSize = 0;       // token type embeddings (BERT, RoBERTa); 0 elsewhere
    qint64 padTokenId = -1;         // -1 when the config has none
    double layerNormEps = 1e-12;    // LayerNorm / RMSNorm epsilon
    double ropeTheta = 10000.0;     // rotary base (Llama family)
    RopeScaling ropeScaling;        // rotary scaling beyond the trained context (Llama family)
    qint64 explicitHeadDim = 0;     // config "head_dim" where it differs from H / numHeads (Qwen3); else 0
    bool qkNorm = false;            // Qwen3: RMSNorm over each head of q and k before the rotation
    qint64 slidingWindow = 0;       // keys a query attends to, itself included, on sliding layers; 0: none
    QList<bool> slidingLayers;      // per layer: whether slidingWindow applies (Mistral: all, Qwen: upper)
    Activation activation = Activation::Gelu;
    bool attentionQkvBias = true;   // q/k/v projections have a bias
    bool attentionOutBias = true;   // the attention output projection has a bias
    bool tieWordEmbeddings = true;  // LM head shares the input embedding matrix
    double embeddingDropout = 0.1;
    double hiddenDropout = 0.1;
    double attentionDropout = 0.1;
    double classifierDropout = 0.1;
    double initializerRange = 0.02; // std of freshly initialised head weights
    DType weightDtype = DType::F32; // config "torch_dtype" (transformers 5: "dtype"): how the weights are
                                    // stored; F32 when absent or not a floating-point type
    QStringList labels;             // id2label in id order; size is the number of labels
    QJsonObject raw;                // the original document, written back on export

    /// Parses config.json text; `source` (a path) prefixes every error, which names the field.
    static Result<ModelConfig> fromJson(const QByteArray &json, const QString &source);

    /// Reads and parses the config.json at `path`.
    static Result<ModelConfig> fromFile(const QString &path);

    /// Parameters of the backbone as built here (BERT includes its pooler; heads excluded).
    qint64 parameterCount() const;

    /// Per-head size d: explicitHeadDim when the config sets one, else H / numHeads.
    qint64 headDim() const { return explicitHeadDim > 0 ? explicitHeadDim : hiddenSize / numHeads; }

    /// The sliding window of layer `layer` in tokens, 0 when the layer attends to every earlier token.
    qint64 windowOf(int layer) const;

    /// Number of classification labels.
    int numLabels() const { return static_cast<int>(labels.size()); }

    /// Rough bytes needed to fine-tune with AdamW: weights and gradients in `dtype`, fp32 Adam moments
    /// (plus an fp32 master copy when `dtype` is not F32) and activationBytes(). RunMemoryEstimate
    /// (core/transfer) breaks this down per run and strategy.
    qint64 trainingMemoryBytes(qint64 batch, qint64 seqLen, DType dtype) const;

    /// Activation bytes all layers keep for backward at `batch` x `seqLen` tokens with values in
    /// `dtype` (Korthikanti et al. 2022: 34 H bytes per token and layer plus 5 bytes per attention
    /// score and head, for 16-bit values).
    double activationBytes(qint64 batch, qint64 seqLen, DType dtype) const;

    /// The HF class name for `task`, e.g. "RobertaForSequenceClassification" (written on export).
    QString architectureFor(ModelTask task) const;

    /// The prefix HF puts before backbone tensors in task checkpoints: "bert", "transformer", "model"...
    QString basePrefix() const;
};

} // namespace ts
