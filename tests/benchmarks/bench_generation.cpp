// Greedy generation with and without the KV cache on randomly initialised decoders (GPT-2 and
// Llama shapes given by --hidden / --layers), on the CPU: tokens per second of each and their
// ratio, after checking that both give the same tokens. The prompt is --prompt random ids.
//
//   bench_generation [--hidden 512] [--layers 8] [--prompt 32] [--new 256] [--threads 2]
#include "model/ModelConfig.h"
#include "model/nn/Generator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace ts;

namespace {

int intArgument(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

/// config.json of a random decoder: GPT-2 (learned positions, 1024) or Llama (RoPE, GQA 2:1).
QJsonObject configOf(const QString &family, int hidden, int layers)
{
    const int heads = hidden / 64;
    if (family == QLatin1String("gpt2"))
        return {{"model_type", "gpt2"}, {"n_embd", hidden}, {"n_layer", layers}, {"n_head", heads},
                {"vocab_size", 50257}, {"n_positions", 1024}};
    return {{"model_type", "llama"}, {"hidden_size", hidden}, {"intermediate_size", hidden * 8 / 3},
            {"num_hidden_layers", layers}, {"num_attention_heads", heads}, {"num_key_value_heads", heads / 2},
            {"vocab_size", 32000}, {"max_position_embeddings", 4096}, {"rms_norm_eps", 1e-6},
            {"hidden_act", "silu"}, {"tie_word_embeddings", false}};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int hidden = intArgument(args, QStringLiteral("--hidden"), 512);
    const int layers = intArgument(args, QStringLiteral("--layers"), 8);
    const int promptLength = intArgument(args, QStringLiteral("--prompt"), 32);
    const int newTokens = intArgument(args, QStringLiteral("--new"), 256);
    torch::set_num_threads(intArgument(args, QStringLiteral("--threads"), 2));
    std::printf("family  hidden layers prompt new  cached tok/s  uncached tok/s  ratio\n");
    for (const QString &family : {QStringLiteral("gpt2"), QStringLiteral("llama")}) {
        auto config = ModelConfig::fromJson(QJsonDocument(configOf(family, hidden, layers)).toJson(),
                                            QStringLiteral("bench.json"));
        if (!config) {
            std::fprintf(stderr, "error: %s\n", qUtf8Printable(config.error()));
            return 1;
        }
        torch::manual_seed(1);
        auto model = PretrainedModel::create(config.value(), ModelTask::CausalLm);
        if (!model) {
            std::fprintf(stderr, "error: %s\n", qUtf8Printable(model.error()));
            return 1;
        }
        model.value()->eval();
        const torch::Tensor prompt = torch::randint(5, config->vocabSize, {1, promptLength}, torch::kLong);
        GenerationParams params;
        params.maxNewTokens = newTokens;
        double rate[2] = {0, 0};
        std::vector<int64_t> tokens[2];
        for (int cached = 1; cached >= 0; --cached) {
            params.useCache = cached == 1;
            QElapsedTimer timer;
            timer.start();
            auto out = Generator::generate(*model.value(), prompt, params);
            if (!out) {
                std::fprintf(stderr, "error: %s\n", qUtf8Printable(out.error()));
                return 1;
            }
            rate[cached] = double(out->tokens.size()) / (double(timer.nsecsElapsed()) / 1e9);
            tokens[cached] = out->tokens;
        }
        std::printf("%-7s %6d %6d %6d %4d %13.1f %15.1f %6.1fx%s\n", qPrintable(family), hidden, layers, promptLength,
                    newTokens, rate[1], rate[0], rate[1] / rate[0],
                    tokens[0] == tokens[1] ? "" : "  (tokens differ!)");
    }
    return 0;
}
