#include "model/nn/Generator.h"

#include "model/nn/CausalBackbone.h"

#include <ATen/CPUGeneratorImpl.h>

#include <limits>

namespace ts {

namespace {

constexpr float kExcluded = -std::numeric_limits<float>::infinity(); // score of a filtered-out token

/// Checks what generate() needs of the model and the prompt.
Status check(PretrainedModel &model, const torch::Tensor &prompt, const GenerationParams &params)
{
    if (const Status s = params.validate(); !s)
        return s;
    if (model.task() != ModelTask::CausalLm || !std::dynamic_pointer_cast<CausalBackbone>(model.backbone()))
        return Status::failure(QStringLiteral("generation needs a causal language model (a decoder loaded for the "
                                              "causal-LM task); %1 is not one").arg(model.config().modelType));
    if (model.is_training())
        return Status::failure(QStringLiteral("generation needs the model in eval mode (dropout off)"));
    if (prompt.dim() != 2 || prompt.size(0) != 1 || prompt.size(1) == 0)
        return Status::failure(QStringLiteral("the prompt must be one row of at least one token id, shape (1,P)"));
    const ModelConfig &config = model.config();
    const qint64 length = prompt.size(1) + params.maxNewTokens;
    if (config.family == ModelFamily::Gpt2 && length > config.maxPositions)
        return Status::failure(QStringLiteral("%1 prompt tokens and %2 new tokens need %3 positions; the model has %4 "
                                              "(n_positions): shorten the prompt or lower max-new-tokens")
                                   .arg(prompt.size(1)).arg(params.maxNewTokens).arg(length).arg(config.maxPositions));
    return {};
}

/// Next-token logits (V) fp32 on the CPU for the sequence so far: with the cache only the tokens
/// `fresh` (1,T) not yet seen run; without it the whole `sequence` (1,S) runs again.
torch::Tensor nextLogits(PretrainedModel &model, KvCache *cache, const torch::Tensor &fresh, const torch::Tensor &sequence)
{
    torch::Tensor logits; // (1,T,V)
    if (cache) {
        const auto backbone = std::static_pointer_cast<CausalBackbone>(model.backbone());
        logits = model.headForward(backbone->forwardCached(fresh, *cache), torch::ones_like(fresh));
    } else {
        logits = model.forward(sequence, torch::ones_like(sequence));
    }
    return logits[0][-1].to(torch::kCPU, torch::kFloat);
}

/// Whether a KV cache would go stale: dynamic NTK scaling changes every position's frequencies once
/// the sequence outgrows max_position_embeddings, and cached keys keep the old rotation.
bool cacheGoesStale(const ModelConfig &config, int64_t length)
{
    return config.ropeScaling.type == RopeScaling::Type::Dynamic && length > config.maxPositions;
}

} // namespace

int64_t Generator::pick(const torch::Tensor &logits, const GenerationParams &params, at::Generator &generator)
{
    if (params.temperature == 0)
        return logits.argmax().item<int64_t>();
    torch::Tensor scores = logits.to(torch::kFloat) / params.temperature; // (V)
    const int64_t V = scores.size(0);
    if (params.topK > 0 && params.topK < V) {
        const torch::Tensor kth = std::get<0>(scores.topk(params.topK)).min();
        scores = scores.masked_fill(scores < kth, kExcluded);
    }
    if (params.topP < 1) {
        // Keep the likeliest tokens until their probabilities reach p: a token goes when those
        // before it already reach p (the first always stays), as transformers' TopPLogitsWarper.
        const auto [sorted, order] = scores.sort(-1, true);
        const torch::Tensor probabilities = sorted.softmax(-1);
        const torch::Tensor before = probabilities.cumsum(-1) - probabilities;
        scores = scores.index_fill(0, order.masked_select(before >= params.topP), kExcluded);
    }
    const torch::Tensor probabilities = scores.softmax(-1);
    return torch::multinomial(probabilities, 1, false, generator).item<int64_t>();
}

Result<GeneratedTokens> Generator::generate(PretrainedModel &model, const torch::Tensor &prompt,
                                            const GenerationParams &params)
{
    using R = Result<GeneratedTokens>;
    if (const Status s = check(model, prompt, params); !s)
        return R::failure(s.error());
    torch::NoGradGuard noGrad;
    const torch::Device device = model.parameters().front().device();
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(params.seed);
    KvCache cache;
    const bool useCache = params.useCache && !cacheGoesStale(model.config(), prompt.size(1) + params.maxNewTokens);
    KvCache *cached = useCache ? &cache : nullptr;
    torch::Tensor sequence = prompt.to(device, torch::kLong); // (1,S)
    torch::Tensor fresh = sequence;                           // (1,T) tokens the cache has not seen
    GeneratedTokens out;
    for (int step = 0; step < params.maxNewTokens; ++step) {
        if (params.abort && params.abort()) {
            out.stop = GeneratedTokens::Stop::Aborted;
            break;
        }
        const int64_t next = pick(nextLogits(model, cached, fresh, sequence), params, generator);
        out.tokens.push_back(next);
        if (params.onToken)
            params.onToken(next);
        if (params.stopTokenIds.contains(next)) {
            out.stop = GeneratedTokens::Stop::StopToken;
            break;
        }
        fresh = torch::full({1, 1}, next, sequence.options());
        if (!cached)
            sequence = torch::cat({sequence, fresh}, 1);
    }
    return out;
}

} // namespace ts
