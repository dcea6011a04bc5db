#pragma once

#include <QString>

namespace ts {

struct ModelConfig;
struct TrainingConfig;

/// The memory a run needs, estimated from the model's config.json and the run's settings before
/// anything is allocated, and compared with what the device has. Value type; torch-free header.
///
/// Bytes, with N the backbone's parameters, P the trainable ones, B the batch size, T the maximum
/// length, H the hidden size, L the layers, A the attention heads:
///   weights      4 N        fp32 (autocast on CUDA computes in bf16 but keeps fp32 weights);
///                w N        for strategies that train only adapters (LoRA), whose frozen backbone
///                           stays in its stored dtype of w bytes (2 for bf16/fp16 checkpoints)
///   gradients    4 P        fp32
///   optimiser    8 P        AdamW's two fp32 moments
///   activations  L * B*T*H * (34 + 5*A*T/H) * s/2
///                Korthikanti et al. (2022): 34 H bytes per token and layer plus 5 bytes per
///                attention score and head, counted for 16-bit values; s is the bytes of one
///                activation value: 2 under bf16 autocast on CUDA or with a 16-bit frozen
///                backbone, 4 otherwise. With layer checkpointing, L * B*T*H * s (each layer's
///                input) plus one layer's full activations (the one being recomputed).
///                With gradient accumulation, B is the micro-batch ceil(B / accumulation).
/// P is N for full fine-tuning (freezing strategies need less: the estimate is an upper bound),
/// the adapters' rank * (in + out) per adapted layer for LoRA, 0 for zero-shot, which only
/// evaluates (one layer's activations at the evaluation batch 2B). Task heads are left out: they
/// are small next to the backbone.
///
/// A run that classifies through its prompt (StrategyDescriptor::promptScoring) runs the model on
/// C rows per text, one per label word (LabelWordScorer), so its activations are those of C*B
/// sequences, and the language-model head's logits over the vocabulary V of every row are kept:
///   label-word logits  C*B*T * V * s, twice when training (their gradient), at the evaluation
///                      batch 2B when the run only evaluates
/// Each row is at most T tokens (PromptEncoder cuts the texts so that the template, the K
/// demonstrations per class, the query and the label word fit); with demonstrations the K*C + 1
/// texts share T, so rows are that long rather than as long as one text. C is the number of
/// classes when known, else the label_words option's entries, else 2.
struct RunMemoryEstimate
{
    /// How the estimate compares with the device's capacity.
    enum class Verdict { Unknown, Fits, Tight, TooLarge };

    /// Above this fraction of the capacity a run is Tight: it may fit, but little is left over.
    static constexpr double kTightFraction = 0.8;

    qint64 parameters = 0;          // N
    qint64 trainableParameters = 0; // P
    qint64 weightBytes = 0;
    qint64 gradientBytes = 0;
    qint64 optimizerBytes = 0;
    qint64 activationBytes = 0;
    int batchSize = 0;              // B
    int maxLength = 0;              // T
    bool cuda = false;              // bf16 autocast activations
    int weightBytesPerParameter = 4; // w: 4 (fp32), or the stored dtype's size for a frozen backbone
    bool layerCheckpointing = false; // activations are recomputed per layer in backward
    int promptRows = 1;              // sequences per text: C for a run scoring label words, else 1
    qint64 labelWordLogitBytes = 0;  // the LM head's logits of the prompt rows (part of activationBytes)
    int accumulation = 1;           // micro-batches per batch: activations are a micro-batch's

    /// Estimates a training run of `config` (its strategy, batch size, maximum length and
    /// options) on `model`; `numClasses` (0: unknown) sizes the label-word rows of prompt runs.
    static RunMemoryEstimate forRun(const ModelConfig &model, const TrainingConfig &config, bool cuda,
                                    int numClasses = 0);

    /// The examples of one micro-batch of `config`: ceil(batchSize / gradientAccumulation); the
    /// whole batch while the accumulation is "auto" (accumulationFor() resolves it first).
    static int microBatchOf(const TrainingConfig &config);

    /// The fewest micro-batches per batch (1 .. batchSize) whose estimate for `config` fits below
    /// kTightFraction of `availableBytes`, else the fewest that fit at all, else batchSize (one
    /// example at a time; the memory check then refuses or warns). 1 when `availableBytes` is
    /// unknown (<= 0). `config`'s own accumulation setting is ignored.
    static int accumulationFor(const ModelConfig &model, const TrainingConfig &config, bool cuda, qint64 availableBytes);

    /// Full fine-tuning of `model` at `batchSize` x `maxLength` tokens (the model picker's column).
    static RunMemoryEstimate forFineTuning(const ModelConfig &model, int batchSize, int maxLength, bool cuda);

    /// Everything together, in bytes.
    qint64 totalBytes() const;

    /// Fits below kTightFraction of `capacityBytes`, Tight up to it, TooLarge above;
    /// Unknown when the capacity is (capacityBytes <= 0).
    Verdict verdict(qint64 capacityBytes) const;

    /// One sentence for a person: what the run needs (and of what), what `device` ("the CPU",
    /// "the GPU") has and, when it does not fit, what to lower.
    QString describe(qint64 capacityBytes, const QString &device) const;

    /// "batch size 16", or "batch size 16 in 4 micro-batches of up to 4" with accumulation.
    QString batchWords() const;

    /// "512 MiB", "6.1 GiB".
    static QString formatBytes(qint64 bytes);

private:
    /// forRun() without the rows of prompt scoring.
    static RunMemoryEstimate forStrategy(const ModelConfig &model, const TrainingConfig &config, bool cuda);
};

} // namespace ts
