#include "jobs/TextGenerator.h"

#include "model/ModelRegistry.h"
#include "model/nn/Generator.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "text/Tokenizer.h"
#include "transfer/TrainedModel.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>

#include <optional>

namespace ts {

namespace {

constexpr QChar kReplacement(0xFFFD); // what decode() gives for the bytes of a character cut in two

/// The decoder to generate with, its tokenizer file and how to name it.
struct Decoder
{
    std::shared_ptr<PretrainedModel> model;
    QString tokenizerFile;
    QString source;
};

bool isDecoder(ModelFamily family)
{
    return family == ModelFamily::Gpt2 || family == ModelFamily::Llama;
}

Result<Decoder> fromModel(const QSqlDatabase &db, const QString &name, const QString &scratch)
{
    using R = Result<Decoder>;
    const auto record = ModelRegistry::find(db, name);
    if (!record)
        return R::failure(record.error());
    if (!isDecoder(record->config.family))
        return R::failure(QStringLiteral("model \"%1\" is a %2 encoder: it cannot continue a text (generation needs a "
                                         "decoder: GPT-2, Llama, Mistral, Qwen). To see labels, train a run with it and "
                                         "use `predict`")
                              .arg(record->name, record->architecture));
    const auto dir = ModelRegistry::materialize(db, record.value(), scratch);
    if (!dir)
        return R::failure(dir.error());
    auto loaded = ModelLoader::load(dir.value(), {ModelTask::CausalLm});
    if (!loaded)
        return R::failure(loaded.error());
    return Decoder{loaded->model, loaded->folder.tokenizerFile(), QStringLiteral("model \"%1\"").arg(record->name)};
}

Result<Decoder> fromRun(const QSqlDatabase &db, qint64 runId, const QString &scratch)
{
    using R = Result<Decoder>;
    const auto run = RunStore(db).load(runId);
    if (!run)
        return R::failure(run.error());
    if (run->status != RunRecord::Status::Finished)
        return R::failure(QStringLiteral("run %1 is %2; only a finished run's model can generate")
                              .arg(runId).arg(RunRecord::statusName(run->status)));
    const auto model = ModelRegistry::load(db, run->modelId);
    if (!model)
        return R::failure(model.error());
    auto trained = TrainedModel::load(db, run.value(), scratch);
    if (!trained)
        return R::failure(trained.error());
    if (trained->task == ModelTask::SequenceClassification)
        return R::failure(QStringLiteral("run %1 (%2) trained a classifier: it predicts labels and does not generate "
                                         "text. Use `predict PROJECT --run %1 --file FILE --out FILE.csv` (or Try it in "
                                         "the GUI) to see its labels")
                              .arg(runId).arg(run->strategy));
    if (trained->task != ModelTask::CausalLm)
        return R::failure(QStringLiteral("run %1 (%2) trained a masked language model on the encoder \"%3\": it fills "
                                         "masks and cannot continue a text (generation needs a decoder)")
                              .arg(runId).arg(run->strategy, model->name));
    return Decoder{trained->loaded.model, trained->loaded.folder.tokenizerFile(),
                   QStringLiteral("run %1's model (%2, %3)").arg(runId).arg(run->strategy, model->name)};
}

/// The tokens that end a generation: config.json's eos_token_id (a number or a list) and the
/// tokenizer's end-of-sequence token.
QList<qint64> stopTokens(const ModelConfig &config, const Tokenizer &tokenizer)
{
    QList<qint64> ids;
    const QJsonValue eos = config.raw.value(QLatin1String("eos_token_id"));
    if (eos.isDouble())
        ids.append(eos.toInteger());
    for (const QJsonValue &id : eos.toArray())
        ids.append(id.toInteger());
    if (tokenizer.specialIds().eos >= 0 && !ids.contains(tokenizer.specialIds().eos))
        ids.append(tokenizer.specialIds().eos);
    return ids;
}

/// Turns new tokens into text pieces: the prompt and the tokens so far decoded together (so that a
/// word's leading space survives), minus the decoded prompt; held back while the last character is
/// cut in two.
class PieceDecoder
{
public:
    PieceDecoder(const Tokenizer &tokenizer, const QList<int> &prompt)
        : m_tokenizer(tokenizer), m_ids(prompt), m_prompt(tokenizer.decode(prompt)) {}

    /// The text `token` completes (possibly empty).
    QString add(int token)
    {
        m_ids.append(token);
        const QString all = m_tokenizer.decode(m_ids);
        if (all.endsWith(kReplacement) || !all.startsWith(m_prompt))
            return {};
        const QString text = all.mid(m_prompt.size());
        const QString piece = text.startsWith(m_emitted) ? text.mid(m_emitted.size()) : QString();
        m_emitted = text;
        return piece;
    }

    /// Everything decoded, the last cut character included.
    QString text() const { return m_tokenizer.decode(m_ids).mid(m_prompt.size()); }

    /// What text() holds beyond the pieces given so far.
    QString rest() const
    {
        const QString all = text();
        return all.startsWith(m_emitted) ? all.mid(m_emitted.size()) : QString();
    }

private:
    const Tokenizer &m_tokenizer;
    QList<int> m_ids;
    QString m_prompt, m_emitted;
};

} // namespace

QString TextGenerator::describe(const GenerationParams &sampling)
{
    if (sampling.temperature == 0)
        return QStringLiteral("greedy");
    QStringList parts{QStringLiteral("temperature %1").arg(sampling.temperature)};
    if (sampling.topK > 0)
        parts.append(QStringLiteral("top-k %1").arg(sampling.topK));
    if (sampling.topP < 1)
        parts.append(QStringLiteral("top-p %1").arg(sampling.topP));
    parts.append(QStringLiteral("seed %1").arg(sampling.seed));
    return parts.join(QStringLiteral(", "));
}

Result<TextGeneration> TextGenerator::generate(const TextGenerationParams &params)
{
    using R = Result<TextGeneration>;
    if (const Status s = params.sampling.validate(); !s)
        return R::failure(s.error());
    if (params.prompt.isEmpty())
        return R::failure(QStringLiteral("the prompt is empty; give a text to continue"));
    auto project = Project::open(params.projectPath, Project::Access::ReadOnly);
    if (!project)
        return R::failure(project.error());
    const QSqlDatabase db = project.value()->database();
    QTemporaryDir scratch;
    const auto decoder = params.runId > 0 ? fromRun(db, params.runId, scratch.path())
                                          : fromModel(db, params.model, scratch.path());
    if (!decoder)
        return R::failure(decoder.error());
    auto tokenizer = Tokenizer::fromFile(decoder->tokenizerFile);
    if (!tokenizer)
        return R::failure(tokenizer.error());
    const QList<int> promptIds = tokenizer->encode(params.prompt).ids;
    if (promptIds.isEmpty())
        return R::failure(QStringLiteral("the prompt gives no tokens with this model's tokenizer"));

    TextGeneration out;
    out.source = decoder->source;
    out.settings = describe(params.sampling);
    out.promptTokens = int(promptIds.size());
    GenerationParams sampling = params.sampling;
    sampling.stopTokenIds = stopTokens(decoder->model->config(), tokenizer.value());
    PieceDecoder pieces(tokenizer.value(), promptIds);
    sampling.onToken = [&](qint64 token) {
        const QString piece = pieces.add(int(token));
        if (!piece.isEmpty() && params.onText)
            params.onText(piece);
    };
    const torch::Tensor prompt = torch::tensor(std::vector<int64_t>(promptIds.begin(), promptIds.end()), torch::kLong)
                                     .view({1, int64_t(promptIds.size())});
    QElapsedTimer timer;
    timer.start();
    std::optional<Result<GeneratedTokens>> tokens;
    try {
        tokens.emplace(Generator::generate(*decoder->model, prompt, sampling));
    } catch (const c10::Error &error) {
        return R::failure(QStringLiteral("generation failed in libtorch: %1")
                              .arg(QString::fromUtf8(error.what_without_backtrace())));
    }
    if (!tokens.value())
        return R::failure(tokens->error());
    out.seconds = double(timer.nsecsElapsed()) / 1e9;
    const GeneratedTokens &generated = tokens->value();
    out.newTokens = int(generated.tokens.size());
    out.stoppedAtEos = generated.stop == GeneratedTokens::Stop::StopToken;
    out.aborted = generated.stop == GeneratedTokens::Stop::Aborted;
    out.text = pieces.text();
    if (const QString rest = pieces.rest(); !rest.isEmpty() && params.onText)
        params.onText(rest);
    return out;
}

} // namespace ts
