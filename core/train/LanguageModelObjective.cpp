#include "train/LanguageModelObjective.h"

#include "project/RunVocabulary.h"

#include <cmath>

namespace ts {

namespace {
// Cross-entropy's "no target" label (PyTorch's default ignore_index).
constexpr int64_t kIgnore = -100;
// Seed of the fixed masking used for evaluation (distinct from every training step's).
constexpr uint64_t kEvaluationStream = 0xE7A1;
// Perplexity is capped to keep charts readable when a model is still random (exp(20) ~ 5e8).
constexpr double kMaxLogPerplexity = 20.0;
} // namespace

LanguageModelObjective::LanguageModelObjective(std::shared_ptr<PretrainedModel> model, Mode mode, Tokens tokens,
                                               double maskProbability, uint64_t seed, torch::Device device)
    : m_model(std::move(model)), m_mode(mode), m_tokens(std::move(tokens)), m_maskProbability(maskProbability),
      m_seed(seed), m_device(device)
{
}

std::pair<torch::Tensor, torch::Tensor> LanguageModelObjective::prepare(const Batch &batch, uint64_t seed) const
{
    if (m_mode == Mode::Causal) {
        // Position t predicts token t+1; padding predicts nothing.
        auto labels = batch.ids.masked_fill(batch.mask.eq(0), kIgnore);
        return {batch.ids, labels};
    }
    // Masking is drawn on the CPU with its own generator: the same (seed, batch) always gives the
    // same corruption, on any device.
    auto generator = at::detail::createCPUGenerator(seed);
    const auto ids = batch.ids.cpu();
    auto candidates = batch.mask.cpu().eq(1);
    for (const int64_t special : m_tokens.special)
        candidates &= ids.ne(special);
    const auto draw = [&](double p) {
        return torch::bernoulli(torch::full(ids.sizes(), p, torch::kFloat32), generator).to(torch::kBool);
    };
    const auto chosen = draw(m_maskProbability) & candidates;
    auto labels = ids.masked_fill(~chosen, kIgnore);
    // Of the chosen: 80% [MASK], 10% a random token, 10% unchanged (Devlin et al. 2019).
    const auto masked = draw(0.8) & chosen;
    const auto randomised = draw(0.5) & chosen & ~masked;
    auto inputs = ids.masked_fill(masked, m_tokens.mask);
    const auto randomTokens = torch::randint(0, m_tokens.vocabSize, ids.sizes(), generator, torch::kInt64);
    inputs = torch::where(randomised, randomTokens, inputs);
    return {inputs.to(m_device), labels.to(m_device)};
}

std::pair<torch::Tensor, int64_t> LanguageModelObjective::lossSum(const Batch &batch, uint64_t seed)
{
    const auto [inputs, labels] = prepare(batch, seed);
    const ScoredPositions scored = scoredPositions(m_model->encode(inputs, batch.mask), labels, m_mode);
    auto logits = m_model->headForward(scored.output, batch.mask).to(torch::kFloat32); // (B,T,V) or (1,N,V)
    auto targets = scored.labels;
    if (m_mode == Mode::Causal) {
        logits = logits.slice(1, 0, -1);
        targets = targets.slice(1, 1);
    }
    const int64_t counted = targets.ne(kIgnore).sum().item<int64_t>();
    const auto sum = torch::nn::functional::cross_entropy(
        logits.reshape({-1, logits.size(-1)}), targets.reshape({-1}),
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnore).reduction(torch::kSum));
    return {sum, counted};
}

LanguageModelObjective::ScoredPositions LanguageModelObjective::scoredPositions(const BackboneOutput &output,
                                                                                const torch::Tensor &labels, Mode mode)
{
    if (mode == Mode::Causal)
        return {output, labels};
    const torch::Tensor predicted = labels.ne(kIgnore); // (B,T)
    BackboneOutput kept;
    kept.hidden = output.hidden.index({predicted}).unsqueeze(0); // (1,N,H)
    return {kept, labels.index({predicted}).unsqueeze(0)};
}

uint64_t LanguageModelObjective::stepSeed(int64_t step) const
{
    return m_seed ^ (uint64_t(step) * 0x9E3779B97F4A7C15ULL);
}

torch::Tensor LanguageModelObjective::loss(const Batch &batch, double, int64_t step)
{
    auto [sum, counted] = lossSum(batch, stepSeed(step));
    return sum / double(std::max<int64_t>(1, counted));
}

std::pair<torch::Tensor, torch::Tensor> LanguageModelObjective::trainingInputs(const Batch &batch, int64_t step) const
{
    return prepare(batch, stepSeed(step));
}

torch::Tensor LanguageModelObjective::meanLoss(const torch::Tensor &logits, const torch::Tensor &labels, Mode mode)
{
    torch::Tensor predicted = logits.to(torch::kFloat32);
    torch::Tensor targets = labels;
    if (mode == Mode::Causal) {
        predicted = predicted.slice(1, 0, -1);
        targets = targets.slice(1, 1);
    }
    const int64_t counted = targets.ne(kIgnore).sum().item<int64_t>();
    const auto sum = torch::nn::functional::cross_entropy(
        predicted.reshape({-1, predicted.size(-1)}), targets.reshape({-1}),
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnore).reduction(torch::kSum));
    return sum / double(std::max<int64_t>(1, counted));
}

torch::Tensor LanguageModelObjective::evaluationTotals(const TokenizedSet &set, const QList<QList<int>> &batches,
                                                       qsizetype first)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = m_model->is_training();
    m_model->eval();
    torch::Tensor totals = torch::zeros({batches.size(), 2}, torch::kFloat64); // (batches, 2)
    auto rows = totals.accessor<double, 2>();
    for (qsizetype b = 0; b < batches.size(); ++b) {
        const Batch batch = Batch::gather(set, batches[b], m_tokens.pad, m_device);
        // The masking of batch `first + b` of the set, whichever process scores it.
        auto [sum, n] = lossSum(batch, m_seed ^ kEvaluationStream ^ uint64_t(first + b));
        rows[b][0] = sum.item<double>();
        rows[b][1] = double(n);
    }
    m_model->train(wasTraining);
    return totals;
}

QMap<QString, double> LanguageModelObjective::metricsOfSums(const std::vector<double> &sums) const
{
    if (sums.at(1) == 0.0)
        return {};
    const double mean = sums.at(0) / sums.at(1);
    // "lm_loss", not "loss": a run that pre-trains then fine-tunes records both on the same splits.
    return {{QString(Metrics::kLanguageModelLoss), mean},
            {QString(Metrics::kPerplexity), std::exp(std::min(mean, kMaxLogPerplexity))}};
}

} // namespace ts
