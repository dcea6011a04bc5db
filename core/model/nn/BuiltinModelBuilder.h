#pragma once
// Includes torch: ui/ and the CLI must not include this header (they call BuiltinModels::build).

#include "model/BuiltinModels.h"
#include "model/ModelConfig.h"
#include "model/nn/PretrainedModel.h"
#include "text/Tokenizer.h"
#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>

#include <memory>

namespace ts {

/// Makes a built-in model from scratch: trains its tokenizer, fits the configuration to the trained
/// vocabulary, initialises the weights from a seed and serialises the three files Hugging Face
/// folders hold. Reentrant: it draws from its own random generator, never the global one.
class BuiltinModelBuilder
{
public:
    /// config.json, model.safetensors and tokenizer.json of a new model of `model` (see BuiltinModels::build).
    static Result<QMap<QString, QByteArray>> build(const BuiltinModel &model, const TextSource &texts,
                                                   const BuiltinBuildParams &params);

    /// A tokenizer for `config` trained on `texts`: BERT WordPiece (uncased, BERT's special tokens) for
    /// encoders, GPT-2 byte-level BPE with <|endoftext|> for decoders; config vocab_size is the target.
    static Result<Tokenizer> trainTokenizer(const ModelConfig &config, const TextSource &texts,
                                            const BuiltinBuildParams &params);

    /// `config` with vocab_size set to the tokenizer's size and the special token ids it uses
    /// (pad_token_id for encoders, bos_token_id and eos_token_id for decoders).
    static QJsonObject fitConfig(QJsonObject config, const Tokenizer &tokenizer);

    /// A masked-LM (encoders) or causal-LM (decoders) model of `config` on the CPU, in fp32, with
    /// weights drawn from N(0, initializer_range) by a generator seeded with `seed` (GPT-2's residual
    /// projections scaled by 1/sqrt(2 * layers), as Hugging Face does); biases 0, norms 1.
    static Result<std::shared_ptr<PretrainedModel>> createModel(const ModelConfig &config, quint64 seed);

    /// The task a built-in model of `config` is pre-trained for: MaskedLm or CausalLm.
    static ModelTask pretrainingTask(const ModelConfig &config);
};

} // namespace ts
