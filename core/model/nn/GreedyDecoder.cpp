#include "model/nn/GreedyDecoder.h"

#include <vector>

namespace ts {

Result<torch::Tensor> GreedyDecoder::generate(PretrainedModel &model, const torch::Tensor &prompt, int maxNewTokens,
                                              int64_t stopTokenId)
{
    using R = Result<torch::Tensor>;
    if (model.task() != ModelTask::CausalLm)
        return R::failure(QStringLiteral("greedy decoding needs a causal language model; load the model for "
                                         "the causal-LM task"));
    if (model.is_training())
        return R::failure(QStringLiteral("greedy decoding needs the model in eval mode (dropout off)"));
    if (prompt.dim() != 2 || prompt.size(0) != 1 || prompt.size(1) == 0)
        return R::failure(QStringLiteral("the prompt must be one row of at least one token id, shape (1,P)"));
    if (maxNewTokens < 0)
        return R::failure(QStringLiteral("the number of new tokens is %1; it must be 0 or more").arg(maxNewTokens));
    const ModelConfig &config = model.config();
    const qint64 length = prompt.size(1) + maxNewTokens;
    if (config.family == ModelFamily::Gpt2 && length > config.maxPositions)
        return R::failure(QStringLiteral("%1 prompt tokens and %2 new tokens need %3 positions; the model has %4 "
                                         "(n_positions): shorten the prompt or generate fewer tokens")
                              .arg(prompt.size(1)).arg(maxNewTokens).arg(length).arg(config.maxPositions));
    torch::NoGradGuard noGrad;
    const torch::Device device = model.parameters().front().device();
    torch::Tensor sequence = prompt.to(device, torch::kLong); // (1,T)
    std::vector<int64_t> tokens;
    for (int step = 0; step < maxNewTokens; ++step) {
        const torch::Tensor logits = model.forward(sequence, torch::ones_like(sequence)); // (1,T,V)
        const int64_t next = logits[0][-1].argmax().item<int64_t>();
        tokens.push_back(next);
        if (next == stopTokenId)
            break;
        sequence = torch::cat({sequence, torch::full({1, 1}, next, sequence.options())}, 1);
    }
    return torch::tensor(tokens, torch::kLong).view({1, static_cast<int64_t>(tokens.size())});
}

} // namespace ts
