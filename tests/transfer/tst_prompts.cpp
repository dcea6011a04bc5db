// Prompts for decoders and masked-LM encoders: template and label-word validation, the option
// schema shared by the CLI and the dialog, in-context demonstrations (deterministic per seed, never
// the query), contextual calibration checked by hand on a tiny decoder, label-word scoring against
// a forward pass computed here, and zero-shot / in-context / prompt fine-tuning runs end to end on
// the sample corpora with the built-in tiny decoder and tiny encoder, whose finished runs classify
// the target's test texts again (RunClassifier: what predict and Try it use) with the
// probabilities their evaluation stored.
#include "SampleRunProject.h"

#include "model/ModelRegistry.h"
#include "model/nn/ModelLoader.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"
#include "train/Batch.h"
#include "transfer/ContextualCalibration.h"
#include "transfer/Demonstrations.h"
#include "transfer/LabelWordScorer.h"
#include "transfer/PromptEncoder.h"
#include "transfer/PromptFineTuneStrategy.h"
#include "transfer/PromptSettings.h"
#include "transfer/RunClassifier.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"
#include "transfer/ZeroShotStrategy.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ts;

class TestPrompts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void templateValidationNamesTheProblem();
    void templateFillsQueryAndDemonstration();
    void labelWordsNameTheLabel();
    void optionSchemaRefusesBadPromptsLikeTheCli();
    void demonstrationsAreSeededAndNeverTheQuery();
    void calibrationByHand();
    void decoderLabelWordScoresMatchForwardPass();
    void goldenLabelWordLogProbabilities_data();
    void goldenLabelWordLogProbabilities();
    void encoderScoresLabelWordsAtTheMask();
    void promptIsCutToMaxLength();
    void zeroShotInContextCalibratedRun();
    void promptFineTuneRunsOnDecoderAndEncoder();

private:
    qint64 execute(const QString &strategy, const QString &model, const QJsonObject &options, int targetLabels = 0);
    /// The built-in decoder's folder (materialized) and tokenizer.
    QString decoderDir();
    /// Checks that run `id`, rebuilt as predict rebuilds it (RunClassifier), gives every text of
    /// the target's test split the label and probabilities (within 1e-5) its evaluation stored.
    void verifyPredictionsRepeatTheRun(qint64 id);

    test::SampleRunProject m_project;
};

void TestPrompts::initTestCase()
{
    const Status created = m_project.create(QStringLiteral("prompts.tstudio"));
    QVERIFY2(created.ok(), qPrintable(created.error()));
    QVERIFY(m_project.addBuiltin(QStringLiteral("tiny-decoder"), QStringLiteral("dec")).ok());
    QVERIFY(m_project.addBuiltin(QStringLiteral("tiny-encoder"), QStringLiteral("enc")).ok());
}

QString TestPrompts::decoderDir()
{
    const auto record = ModelRegistry::find(m_project.database(), QStringLiteral("dec"));
    if (!record)
        return {};
    const auto dir = ModelRegistry::materialize(m_project.database(), record.value(), m_project.filePath(QStringLiteral("dec")));
    return dir ? dir.value() : QString();
}

void TestPrompts::verifyPredictionsRepeatTheRun(qint64 id)
{
    const QSqlDatabase db = m_project.database();
    const auto run = RunStore(db).load(id);
    QVERIFY2(run, qPrintable(run.error()));
    const auto stored = PredictionStore(db).load(id, QString(Splits::kTargetTest));
    QVERIFY2(stored, qPrintable(stored.error()));
    QVERIFY(stored->examples() > 0);
    QList<qint64> documents;
    for (const Prediction &p : stored->predictions)
        documents.append(p.documentId);
    const auto texts = PredictionStore(db).documentTexts(documents);
    QVERIFY2(texts, qPrintable(texts.error()));
    QList<LabelledText> inputs;
    for (int i = 0; i < documents.size(); ++i)
        inputs.append({texts->at(i), -1, documents[i]});

    QTemporaryDir scratch;
    auto classifier = RunClassifier::load(db, run.value(), scratch.path());
    QVERIFY2(classifier, qPrintable(classifier.error()));
    QCOMPARE(classifier->classes(), stored->classes);
    const TokenizedSet set = TokenizedSet::build(QStringLiteral("predict"), classifier->tokenizer(), inputs,
                                                 classifier->config().maxLength, 1, true);
    const auto result = classifier->probabilities(set, 5); // another batch size than the run's
    QVERIFY2(result, qPrintable(result.error()));
    const torch::Tensor &probabilities = result.value(); // (N, classes)
    QCOMPARE(probabilities.size(0), int64_t(documents.size()));
    for (int i = 0; i < documents.size(); ++i) {
        const Prediction &p = stored->predictions[i];
        QCOMPARE(probabilities.size(1), int64_t(p.probabilities.size()));
        for (int c = 0; c < p.probabilities.size(); ++c) {
            const double predicted = probabilities[i][c].item<double>();
            QVERIFY2(std::abs(predicted - double(p.probabilities[c])) <= 1e-5,
                     qPrintable(QStringLiteral("run %1 (%2), text %3, class %4: predict gives %5, the run stored %6")
                                    .arg(id).arg(run->strategy).arg(i).arg(c).arg(predicted).arg(p.probabilities[c])));
        }
        QCOMPARE(int(probabilities[i].argmax().item<int64_t>()), p.predicted);
    }
}

qint64 TestPrompts::execute(const QString &strategy, const QString &model, const QJsonObject &options, int targetLabels)
{
    RunRequest request;
    request.sourceCorpus = QStringLiteral("books");
    request.targetCorpus = QStringLiteral("electronics");
    request.model = model;
    TrainingConfig &c = request.config;
    c.strategy = strategy;
    c.epochs = 1;
    c.learningRate = 1e-3;
    c.batchSize = 8;
    c.maxLength = 128; // room for a demonstration per class with the tiny decoder's small vocabulary
    c.maxTrainExamples = 32;
    c.maxEvalExamples = 16;
    c.evalEvery = 4;
    c.targetLabels = targetLabels;
    c.options = options;
    return m_project.execute(request);
}

void TestPrompts::templateValidationNamesTheProblem()
{
    const auto noText = PromptTemplate::parse(QStringLiteral("Review: {mask}"));
    QVERIFY(!noText);
    QVERIFY2(noText.error().contains(QLatin1String("has no {text}")), qPrintable(noText.error()));
    const auto unknown = PromptTemplate::parse(QStringLiteral("{text} means {label}"));
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(QLatin1String("unknown placeholder {label}")), qPrintable(unknown.error()));
    QVERIFY(!PromptTemplate::parse(QStringLiteral("{text} {text}")));
    QVERIFY(PromptTemplate::parse(QStringLiteral("{text} {not a placeholder} {mask}")));
    QCOMPARE(PromptTemplate::parse(QString())->text(), QStringLiteral("{text}"));
    const auto suffix = PromptTemplate::parse(QStringLiteral("{text} It was {mask}."));
    QVERIFY(suffix);
    QVERIFY(suffix->checkFor(false));
    const Status decoder = suffix->checkFor(true);
    QVERIFY(!decoder);
    QVERIFY2(decoder.error().contains(QLatin1String("{mask} must end")), qPrintable(decoder.error()));
}

void TestPrompts::templateFillsQueryAndDemonstration()
{
    const auto p = PromptTemplate::parse(QStringLiteral("Review: {text}\nSentiment: {mask}"));
    QVERIFY(p);
    QCOMPARE(p->query(QStringLiteral("Fine {mask} book.")), QStringLiteral("Review: Fine {mask} book.\nSentiment:"));
    QCOMPARE(p->query(QStringLiteral("ok"), QStringLiteral("[MASK]")), QStringLiteral("Review: ok\nSentiment: [MASK]"));
    QCOMPARE(p->demonstration(QStringLiteral("bad"), QStringLiteral("terrible")),
             QStringLiteral("Review: bad\nSentiment: terrible"));
    QCOMPARE(PromptTemplate::parse(QStringLiteral("A: {text}\\nB: {mask}"))->query(QStringLiteral("x")),
             QStringLiteral("A: x\nB:"));
    const PromptTemplate plain;
    QCOMPARE(plain.query(QStringLiteral("ok "), QStringLiteral("<mask>")), QStringLiteral("ok  <mask>"));
    QCOMPARE(plain.demonstration(QStringLiteral("ok"), QStringLiteral("great")), QStringLiteral("ok great"));
    QCOMPARE(PromptTemplate::withDemonstrations({QStringLiteral("a great"), QStringLiteral("b bad")}, QStringLiteral("c")),
             QStringLiteral("a great\n\nb bad\n\nc"));
}

void TestPrompts::labelWordsNameTheLabel()
{
    const QStringList classes{QStringLiteral("negative"), QStringLiteral("positive")};
    const auto words = Verbalizer::parse(QStringLiteral("positive=great, negative = terrible"), classes);
    QVERIFY2(words, qPrintable(words.error()));
    QCOMPARE(words->words(), (QStringList{QStringLiteral("terrible"), QStringLiteral("great")}));
    QCOMPARE(Verbalizer::parse(QString(), classes)->words(), classes);
    const auto missing = Verbalizer::parse(QStringLiteral("positive=great"), classes);
    QVERIFY(!missing);
    QVERIFY2(missing.error().contains(QLatin1String("label \"negative\" has no word")), qPrintable(missing.error()));
    const auto unknown = Verbalizer::parse(QStringLiteral("positive=great,neutral=fine,negative=bad"), classes);
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().contains(QLatin1String("unknown label \"neutral\"")), qPrintable(unknown.error()));
    QVERIFY(!Verbalizer::parse(QStringLiteral("positive=great,negative=great"), classes));
    QVERIFY(!Verbalizer::parse(QStringLiteral("positive=great,positive=good,negative=bad"), classes));
    QVERIFY(!Verbalizer::checkSyntax(QStringLiteral("great")));
}

void TestPrompts::optionSchemaRefusesBadPromptsLikeTheCli()
{
    const StrategyDescriptor &zeroShot = ZeroShotStrategy::descriptor();
    QVERIFY(zeroShot.usesPrompt);
    QVERIFY(PromptFineTuneStrategy::descriptor().usesPrompt);
    QVERIFY(!PromptFineTuneStrategy::descriptor().option(QString::fromLatin1(PromptSettings::kDemonstrations)));
    const StrategyOption *prompt = zeroShot.option(QStringLiteral("prompt"));
    QVERIFY(prompt);
    QCOMPARE(prompt->kindName(), QStringLiteral("prompt"));
    const auto refused = prompt->parse(QStringLiteral("Sentiment: {mask}"));
    QVERIFY(!refused);
    QVERIFY2(refused.error().contains(QLatin1String("option \"prompt\"")), qPrintable(refused.error()));
    QCOMPARE(prompt->parse(QStringLiteral("{text} {mask}"))->toString(), QStringLiteral("{text} {mask}"));
    const StrategyOption *words = zeroShot.option(QStringLiteral("label_words"));
    QVERIFY(words && !words->parse(QStringLiteral("great")));
    // Stored configs are checked the same way (a hand-edited run config).
    QVERIFY(!zeroShot.checkOptions(QJsonObject{{QStringLiteral("prompt"), QStringLiteral("{txt}")}}));
    int registered = 0;
    for (const StrategyDescriptor &d : StrategyRegistry::all())
        registered += d.usesPrompt ? 1 : 0;
    QCOMPARE(registered, 2);
}

void TestPrompts::demonstrationsAreSeededAndNeverTheQuery()
{
    QList<LabelledText> pool;
    for (int i = 0; i < 40; ++i)
        pool.append({QStringLiteral("text %1").arg(i), i % 2, 0});
    const Demonstrations a = Demonstrations::draw(pool, 2, 2, 11);
    const Demonstrations b = Demonstrations::draw(pool, 2, 2, 11);
    const Demonstrations c = Demonstrations::draw(pool, 2, 2, 12);
    const auto textsOf = [](const QList<LabelledText> &list) {
        QStringList texts;
        for (const LabelledText &t : list)
            texts.append(t.text);
        return texts;
    };
    const QStringList shown = textsOf(a.forQuery(QStringLiteral("a query")));
    QCOMPARE(shown.size(), 4);
    QCOMPARE(shown, textsOf(b.forQuery(QStringLiteral("a query"))));
    QVERIFY(shown != textsOf(c.forQuery(QStringLiteral("a query"))));
    // Classes take turns: 0, 1, 0, 1.
    const QList<LabelledText> ordered = a.forQuery(QStringLiteral("a query"));
    QCOMPARE(ordered[0].label, 0);
    QCOMPARE(ordered[1].label, 1);
    QCOMPARE(ordered[2].label, 0);
    // A query that is one of the demonstrations gets a spare of its class in its place.
    for (const QString &query : shown) {
        const QList<LabelledText> forIt = a.forQuery(query);
        QCOMPARE(forIt.size(), 4);
        QVERIFY(!textsOf(forIt).contains(query));
    }
    const auto prompt = PromptTemplate::parse(QStringLiteral("{text} = {mask}"));
    const QStringList rendered = a.render(shown.first(), prompt.value(), {QStringLiteral("no"), QStringLiteral("yes")});
    QCOMPARE(rendered.size(), 4);
    QVERIFY(rendered.first().endsWith(QLatin1String(" = no")));
    QVERIFY(Demonstrations::draw(pool, 0, 2, 11).forQuery(QStringLiteral("x")).isEmpty());
}

void TestPrompts::calibrationByHand()
{
    // p = (0.7, 0.3), p_cf = (0.8, 0.2): p / p_cf = (0.875, 1.5), normalised by 2.375.
    const torch::Tensor p = torch::tensor({0.7f, 0.3f, 0.5f, 0.5f}).view({2, 2});
    const torch::Tensor calibrated = ContextualCalibration::apply(p, torch::tensor({0.8f, 0.2f}));
    QVERIFY(std::abs(calibrated[0][0].item<double>() - 0.875 / 2.375) < 1e-6);
    QVERIFY(std::abs(calibrated[0][1].item<double>() - 1.5 / 2.375) < 1e-6);
    QVERIFY(std::abs(calibrated[1][0].item<double>() - 0.2) < 1e-6); // (0.625, 2.5) / 3.125
    // A content-free input scored exactly like a text cancels out to the uniform distribution.
    const torch::Tensor same = ContextualCalibration::apply(p, p[0]);
    QVERIFY(std::abs(same[0][0].item<double>() - 0.5) < 1e-6);
}

void TestPrompts::decoderLabelWordScoresMatchForwardPass()
{
    const QString dir = decoderDir();
    QVERIFY(!dir.isEmpty());
    LoadOptions options;
    options.task = ModelTask::CausalLm;
    const auto loaded = ModelLoader::load(dir, options);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    const auto tokenizer = Tokenizer::fromFile(QDir(dir).filePath(QStringLiteral("tokenizer.json")));
    QVERIFY2(tokenizer, qPrintable(tokenizer.error()));
    torch::NoGradGuard noGrad;
    PretrainedModel &model = *loaded->model;

    PromptSettings settings;
    settings.prompt = PromptTemplate::parse(QStringLiteral("Review: {text} Verdict: {mask}")).value();
    settings.words = {QStringLiteral("terrible product"), QStringLiteral("great")}; // several tokens and (likely) one
    for (const auto mode : {PromptSettings::WordScore::Mean, PromptSettings::WordScore::Sum}) {
        settings.wordScore = mode;
        const auto encoder = PromptEncoder::create(tokenizer.value(), settings, {}, true, 64);
        QVERIFY2(encoder, qPrintable(encoder.error()));
        QVERIFY(encoder->wordIds()[0].size() >= 2);
        const QStringList texts{QStringLiteral("the book was dull"), QStringLiteral("N/A")};
        TokenizedSet prompts;
        for (const QString &t : texts) {
            prompts.ids.push_back(encoder->encode(t).value());
            prompts.labels.append(-1);
            prompts.domains.append(0);
        }
        const int64_t padId = tokenizer->padId();
        const Batch batch = Batch::gather(prompts, {0, 1}, padId, torch::kCPU);
        const LabelWordScorer scorer(encoder->wordIds(), -1, mode, padId);
        const torch::Tensor scores = scorer.score(model, batch.ids, batch.mask); // (2, 2)

        // By hand: one forward pass per prompt + word, token by token.
        double expected[2][2];
        for (int t = 0; t < 2; ++t) {
            for (int c = 0; c < 2; ++c) {
                std::vector<long long> ids = prompts.ids[size_t(t)];
                const auto &word = encoder->wordIds()[size_t(c)];
                ids.insert(ids.end(), word.begin(), word.end());
                const torch::Tensor input = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())).unsqueeze(0);
                const torch::Tensor logProbs = torch::log_softmax(model.forward(input, torch::ones_like(input)), -1)[0];
                double sum = 0;
                const size_t start = prompts.ids[size_t(t)].size();
                for (size_t j = 0; j < word.size(); ++j)
                    sum += logProbs[int64_t(start + j - 1)][word[j]].item<double>();
                expected[t][c] = mode == PromptSettings::WordScore::Sum ? sum : sum / double(word.size());
                QVERIFY2(std::abs(scores[t][c].item<double>() - expected[t][c]) < 1e-4,
                         qPrintable(QStringLiteral("%1 vs %2").arg(scores[t][c].item<double>()).arg(expected[t][c])));
            }
        }
        // Contextual calibration of text 0 by the content-free text 1, by hand.
        const auto softmax2 = [](double a, double b) {
            const double m = std::max(a, b);
            return std::pair<double, double>(std::exp(a - m) / (std::exp(a - m) + std::exp(b - m)),
                                             std::exp(b - m) / (std::exp(a - m) + std::exp(b - m)));
        };
        const auto [p0, p1] = softmax2(expected[0][0], expected[0][1]);
        const auto [f0, f1] = softmax2(expected[1][0], expected[1][1]);
        const double q0 = (p0 / f0) / (p0 / f0 + p1 / f1);
        const torch::Tensor probabilities = torch::softmax(scores, 1);
        const torch::Tensor calibrated = ContextualCalibration::apply(probabilities.narrow(0, 0, 1), probabilities[1]);
        QVERIFY(std::abs(calibrated[0][0].item<double>() - q0) < 1e-5);
    }
}

void TestPrompts::goldenLabelWordLogProbabilities_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("gpt2") << "gpt2-lm";
    QTest::newRow("qwen2.5") << "qwen2.5";
}

void TestPrompts::goldenLabelWordLogProbabilities()
{
    // tests/golden/make_prompt_golden.py: transformers' log-probabilities of two label words (one
    // of one token, one of three) after a fixed prompt.
    QFETCH(QString, name);
    QFile file(QStringLiteral(TS_TEST_DATA_DIR "/prompts/%1.json").arg(name));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject golden = QJsonDocument::fromJson(file.readAll()).object();
    LoadOptions options;
    options.task = ModelTask::CausalLm;
    const auto loaded = ModelLoader::load(QStringLiteral(TS_TEST_DATA_DIR "/") + golden.value("fixture").toString(), options);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    torch::NoGradGuard noGrad;
    std::vector<long long> prompt;
    for (const QJsonValue &v : golden.value("prompt_ids").toArray())
        prompt.push_back(v.toInteger());
    std::vector<std::vector<long long>> words;
    for (const QJsonValue &word : golden.value("word_ids").toArray()) {
        words.emplace_back();
        for (const QJsonValue &v : word.toArray())
            words.back().push_back(v.toInteger());
    }
    TokenizedSet prompts;
    prompts.ids.push_back(prompt);
    prompts.labels.append(-1);
    prompts.domains.append(0);
    const Batch batch = Batch::gather(prompts, {0}, 0, torch::kCPU);
    for (const auto &[mode, key] : {std::pair{PromptSettings::WordScore::Sum, "sum"},
                                    std::pair{PromptSettings::WordScore::Mean, "mean"}}) {
        const torch::Tensor scores = LabelWordScorer(words, -1, mode, 0).score(*loaded->model, batch.ids, batch.mask);
        const QJsonArray expected = golden.value(QLatin1String(key)).toArray();
        for (int c = 0; c < int(words.size()); ++c)
            QVERIFY2(std::abs(scores[0][c].item<double>() - expected[c].toDouble()) < 1e-4,
                     qPrintable(QStringLiteral("%1 word %2: %3 vs transformers %4")
                                    .arg(QLatin1String(key)).arg(c).arg(scores[0][c].item<double>())
                                    .arg(expected[c].toDouble())));
    }
}

void TestPrompts::encoderScoresLabelWordsAtTheMask()
{
    const auto record = ModelRegistry::find(m_project.database(), QStringLiteral("enc"));
    QVERIFY(record);
    const auto dir = ModelRegistry::materialize(m_project.database(), record.value(), m_project.filePath(QStringLiteral("enc")));
    QVERIFY2(dir, qPrintable(dir.error()));
    LoadOptions options;
    options.task = ModelTask::MaskedLm;
    const auto loaded = ModelLoader::load(dir.value(), options);
    QVERIFY2(loaded, qPrintable(loaded.error()));
    const auto tokenizer = Tokenizer::fromFile(QDir(dir.value()).filePath(QStringLiteral("tokenizer.json")));
    QVERIFY(tokenizer);
    torch::NoGradGuard noGrad;
    PromptSettings settings;
    settings.prompt = PromptTemplate::parse(QStringLiteral("{text} it was {mask} .")).value();
    settings.words = {QStringLiteral("bad"), QStringLiteral("good")};
    settings.wordScore = PromptSettings::WordScore::Sum;
    const auto encoder = PromptEncoder::create(tokenizer.value(), settings, {}, false, 32);
    QVERIFY2(encoder, qPrintable(encoder.error()));
    const std::vector<long long> ids = encoder->encode(QStringLiteral("a fine read")).value();
    QCOMPARE(std::count(ids.begin(), ids.end(), encoder->maskId()), 1L);
    TokenizedSet prompts;
    prompts.ids.push_back(ids);
    prompts.labels.append(-1);
    prompts.domains.append(0);
    const Batch batch = Batch::gather(prompts, {0}, tokenizer->padId(), torch::kCPU);
    const torch::Tensor scores =
        LabelWordScorer(encoder->wordIds(), encoder->maskId(), settings.wordScore, tokenizer->padId())
            .score(*loaded->model, batch.ids, batch.mask);
    // By hand for a one-token word: log-softmax at the mask, then the word's id.
    const int64_t at = int64_t(std::find(ids.begin(), ids.end(), encoder->maskId()) - ids.begin());
    const torch::Tensor logProbs = torch::log_softmax(loaded->model->forward(batch.ids, batch.mask), -1)[0][at];
    for (int c = 0; c < 2; ++c) {
        const auto &word = encoder->wordIds()[size_t(c)];
        if (word.size() == 1)
            QVERIFY(std::abs(scores[0][c].item<double>() - logProbs[word[0]].item<double>()) < 1e-4);
    }
}

void TestPrompts::promptIsCutToMaxLength()
{
    const auto tokenizer = Tokenizer::fromFile(QDir(decoderDir()).filePath(QStringLiteral("tokenizer.json")));
    QVERIFY(tokenizer);
    PromptSettings settings;
    settings.prompt = PromptTemplate::parse(QStringLiteral("Review: {text}\nVerdict: {mask}")).value();
    settings.words = {QStringLiteral("bad"), QStringLiteral("good")};
    QList<LabelledText> pool;
    for (int i = 0; i < 6; ++i)
        pool.append({QStringLiteral("demonstration %1 ").arg(i).repeated(20), i % 2, 0});
    // The tiny decoder's vocabulary is learnt from the sample reviews: "Verdict:" takes several tokens.
    const int maxLength = 96;
    const auto encoder = PromptEncoder::create(tokenizer.value(), settings, Demonstrations::draw(pool, 1, 2, 3), true,
                                               maxLength);
    QVERIFY(encoder);
    const QString longText = QStringLiteral("a very long review of a book ").repeated(30);
    const auto ids = encoder->encode(longText);
    QVERIFY2(ids, qPrintable(ids.error()));
    size_t longest = 0;
    for (const auto &w : encoder->wordIds())
        longest = std::max(longest, w.size());
    QVERIFY(ids->size() + longest <= size_t(maxLength));
    QVERIFY(ids->size() + longest >= size_t(maxLength) - 8); // the room is used, not wasted
    // The template's end survives the cut: the prompt still ends with "Verdict:".
    const Encoding tail = tokenizer->encode(QStringLiteral("\nVerdict:"), EncodeOptions{false});
    QVERIFY(std::equal(tail.ids.rbegin(), tail.ids.rend(), ids->rbegin()));
    QVERIFY(encoder->promptText(QStringLiteral("x")).contains(QLatin1String("Verdict: bad\n\n")));
    const auto tooSmall = PromptEncoder::create(tokenizer.value(), settings, Demonstrations::draw(pool, 1, 2, 3), true, 4);
    QVERIFY(tooSmall);
    QVERIFY(!tooSmall->encode(longText));
}

void TestPrompts::zeroShotInContextCalibratedRun()
{
    const QJsonObject options{{QStringLiteral("prompt"), QStringLiteral("Review: {text}\nVerdict: {mask}")},
                              {QStringLiteral("label_words"), QStringLiteral("0=bad,1=good")},
                              {QStringLiteral("demonstrations"), 1},
                              {QStringLiteral("calibrate"), true}};
    const qint64 withTarget = execute(QStringLiteral("zero-shot"), QStringLiteral("dec"), options, 4);
    QVERIFY(withTarget > 0);
    const QString log = m_project.log();
    QVERIFY2(log.contains(QLatin1String("1 demonstrations per class from the target's few labels")), qPrintable(log));
    QVERIFY2(log.contains(QLatin1String("contextual calibration: p(label | \"N/A\")")), qPrintable(log));
    QVERIFY2(log.contains(QLatin1String("Verdict: bad\n\n")) || log.contains(QLatin1String("Verdict: good\n\n")),
             qPrintable(log));
    const auto points = RunStore(m_project.database()).metrics(withTarget).value();
    QVERIFY(!points.isEmpty());
    for (const MetricPoint &p : points)
        QCOMPARE(p.step, 0);

    verifyPredictionsRepeatTheRun(withTarget);

    const qint64 fromSource = execute(QStringLiteral("zero-shot"), QStringLiteral("dec"), options, 0);
    QVERIFY(fromSource > 0);
    QVERIFY(m_project.log().contains(QLatin1String("from the source's labels")));
    verifyPredictionsRepeatTheRun(fromSource);

    QJsonObject badWords = options;
    badWords.insert(QStringLiteral("label_words"), QStringLiteral("1=good"));
    QCOMPARE(execute(QStringLiteral("zero-shot"), QStringLiteral("dec"), badWords), 0);

    // An encoder given a prompt scores label words at the mask with its masked-LM head.
    const QJsonObject masked{{QStringLiteral("prompt"), QStringLiteral("{text} it was {mask} .")},
                             {QStringLiteral("label_words"), QStringLiteral("0=bad,1=good")}};
    const qint64 encoder = execute(QStringLiteral("zero-shot"), QStringLiteral("enc"), masked);
    QVERIFY(encoder > 0);
    QVERIFY(m_project.log().contains(QLatin1String("masked LM: the label word at the mask")));
    verifyPredictionsRepeatTheRun(encoder);
}

void TestPrompts::promptFineTuneRunsOnDecoderAndEncoder()
{
    for (const QString &model : {QStringLiteral("dec"), QStringLiteral("enc")}) {
        const QJsonObject options{{QStringLiteral("prompt"), model == QLatin1String("dec")
                                                                 ? QStringLiteral("{text} Verdict: {mask}")
                                                                 : QStringLiteral("{text} it was {mask} .")},
                                  {QStringLiteral("label_words"), QStringLiteral("0=bad,1=good")}};
        const qint64 id = execute(QString::fromLatin1(PromptFineTuneStrategy::kName), model, options);
        QVERIFY2(id > 0, qPrintable(model));
        const auto points = RunStore(m_project.database()).metrics(id).value();
        bool trainLoss = false, targetAccuracy = false;
        for (const MetricPoint &p : points) {
            trainLoss |= p.split == QLatin1String("train") && p.metric == QLatin1String("loss") && std::isfinite(p.value);
            targetAccuracy |= p.split == QLatin1String("target/test") && p.metric == QLatin1String("accuracy");
        }
        QVERIFY(trainLoss);
        QVERIFY(targetAccuracy);
        verifyPredictionsRepeatTheRun(id);
    }
}

QTEST_GUILESS_MAIN(TestPrompts)
#include "tst_prompts.moc"
