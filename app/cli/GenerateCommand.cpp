#include "GenerateCommand.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "jobs/TextGenerator.h"

#include <QCommandLineParser>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace ts::cli {

namespace {

std::atomic<bool> g_interrupted{false}; // set by Ctrl+C while generating

extern "C" void onGenerateInterrupt(int)
{
    g_interrupted = true;
}

/// Reads option `name` as a number into `value` (unchanged when the option is absent).
/// -> a usage message naming the option, or an empty string.
template <typename T>
QString readNumber(const QCommandLineParser &parser, const QString &name, T &value)
{
    if (!parser.isSet(name))
        return {};
    bool ok = false;
    const QString text = parser.value(name);
    if constexpr (std::is_same_v<T, double>)
        value = text.toDouble(&ok);
    else if constexpr (std::is_same_v<T, quint64>)
        value = text.toULongLong(&ok);
    else
        value = text.toInt(&ok);
    return ok ? QString() : QStringLiteral("--%1: \"%2\" is not a number").arg(name, text);
}

} // namespace

int runGenerate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Continue a text with a decoder (a registered GPT-2 / Llama-family model, or the language model a finished "
        "run trained), printing the new text on stdout as it is generated, then on stderr how many tokens, how fast, "
        "from which model and with which settings. Greedy when the temperature is 0 (the default); sampling "
        "otherwise, reproducible by --seed. Stops at the model's end-of-sequence token. Classifier runs predict "
        "labels instead: see `predict`."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const GenerationParams defaults;
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("A registered decoder (name or id)."),
                                   QStringLiteral("M"));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("A finished run whose language model generates."),
                                 QStringLiteral("ID"));
    const QCommandLineOption prompt(QStringLiteral("prompt"), QStringLiteral("The text to continue."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption maxNew(QStringLiteral("max-new-tokens"),
                                    QStringLiteral("Tokens to add at most, 1 to %1 (default %2).")
                                        .arg(GenerationParams::kMaxNewTokens).arg(defaults.maxNewTokens),
                                    QStringLiteral("N"));
    const QCommandLineOption temperature(QStringLiteral("temperature"),
                                         QStringLiteral("0 (default): greedy; up to %1: sample, hotter is more varied.")
                                             .arg(GenerationParams::kMaxTemperature),
                                         QStringLiteral("T"));
    const QCommandLineOption topK(QStringLiteral("top-k"), QStringLiteral("Sample among the K likeliest tokens (0: all)."),
                                  QStringLiteral("K"));
    const QCommandLineOption topP(QStringLiteral("top-p"),
                                  QStringLiteral("Sample among the likeliest tokens whose probabilities reach P (1: all)."),
                                  QStringLiteral("P"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Sampling seed (default 0)."), QStringLiteral("S"));
    parser.addOptions({model, run, prompt, maxNew, temperature, topK, topP, seed});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    TextGenerationParams params;
    params.projectPath = parser.positionalArguments().at(0);
    if (parser.isSet(model) == parser.isSet(run))
        return usageError(QStringLiteral("give --model M (a registered decoder) or --run ID (a finished run), one of them"));
    params.model = parser.value(model);
    if (parser.isSet(run)) {
        bool ok = false;
        params.runId = parser.value(run).toLongLong(&ok);
        if (!ok || params.runId <= 0)
            return usageError(QStringLiteral("--run: give the run's id (see `runs`), not \"%1\"").arg(parser.value(run)));
    }
    if (!parser.isSet(prompt) || parser.value(prompt).isEmpty())
        return usageError(QStringLiteral("--prompt: give the text to continue"));
    params.prompt = parser.value(prompt);
    GenerationParams &sampling = params.sampling;
    for (const QString &problem : {readNumber(parser, maxNew.names().first(), sampling.maxNewTokens),
                                   readNumber(parser, temperature.names().first(), sampling.temperature),
                                   readNumber(parser, topK.names().first(), sampling.topK),
                                   readNumber(parser, topP.names().first(), sampling.topP),
                                   readNumber(parser, seed.names().first(), sampling.seed)}) {
        if (!problem.isEmpty())
            return usageError(problem);
    }
    if (const Status s = sampling.validate(); !s)
        return usageError(QStringLiteral("--") + s.error());

    g_interrupted = false;
    const auto previous = std::signal(SIGINT, onGenerateInterrupt);
    sampling.abort = [] { return g_interrupted.load(); };
    params.onText = [](const QString &piece) {
        std::fputs(piece.toUtf8().constData(), stdout);
        std::fflush(stdout);
    };
    const auto result = TextGenerator::generate(params);
    std::signal(SIGINT, previous);
    if (!result)
        return fail(result.error());
    std::fputs("\n", stdout);
    const double rate = result->seconds > 0 ? result->newTokens / result->seconds : 0;
    std::fprintf(stderr, "%s\n",
                 qUtf8Printable(QStringLiteral("%1 new tokens after %2 prompt tokens in %3 s (%4 tokens/s, CPU) from %5, "
                                               "%6; %7")
                                    .arg(result->newTokens).arg(result->promptTokens)
                                    .arg(result->seconds, 0, 'f', 2).arg(rate, 0, 'f', 1)
                                    .arg(result->source, result->settings,
                                         result->aborted        ? QStringLiteral("interrupted")
                                         : result->stoppedAtEos ? QStringLiteral("stopped at end-of-sequence")
                                                                : QStringLiteral("stopped at --max-new-tokens"))));
    return result->aborted ? kExitInterrupted : kExitOk;
}

} // namespace ts::cli
