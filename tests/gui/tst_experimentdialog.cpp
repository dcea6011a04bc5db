// The experiment dialog with real widgets (offscreen) on a project holding the sample corpora and
// a built-in tiny encoder: combos filled from the project, the strategy's settings form built from
// the catalogue, inline validation that disables Start with the reason shown, the plan it
// produces (quick run caps, seeds, label budgets) and the remembered settings.
#include "TempProject.h"

#include "corpus/CorpusStore.h"
#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "project/WeightRetention.h"
#include "runs/ExperimentDialog.h"
#include "transfer/StrategyRegistry.h"
#include "util/CpuFeatures.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using namespace ts;
using ui::ExperimentDialog;

class TestExperimentDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void fillsChoicesFromProject();
    void buildsStrategySettingsFromCatalogue();
    void blocksStartWithReason_data();
    void blocksStartWithReason();
    void showsPreflightProblems();
    void warnsWithoutBlocking();
    void producesPlan();
    void gradientCheckpointingFillsTheRequest();
    void gradientAccumulationFillsTheRequest();
    void remembersLastPlan();
    void weightsKeptFollowTheProjectDefault();
    void proposesModelDefaults();
    void unitsAndFocusOrder();

private:
    void select(ExperimentDialog &dialog, const char *combo, const QString &value);

    test::TempFolder m_folder;
    std::unique_ptr<Project> m_project;
};

void TestExperimentDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    auto project = Project::create(m_folder.path(QStringLiteral("dialog.tstudio")));
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")})
        QVERIFY(SampleCorpora::importDomain(*m_project, domain).ok());
    QVERIFY(CorpusStore::ensure(m_project->database(), QStringLiteral("empty")).ok());
    const auto id = BuiltinModels::addToProject(m_project->database(), QStringLiteral("tiny-encoder"),
                                                QStringLiteral("tiny"), {QStringLiteral("books")}, {});
    QVERIFY2(id.ok(), qPrintable(id.error()));
}

void TestExperimentDialog::init()
{
    QSettings().remove(QStringLiteral("experiment"));
}

void TestExperimentDialog::select(ExperimentDialog &dialog, const char *combo, const QString &value)
{
    auto *box = dialog.findChild<QComboBox *>(QLatin1String(combo));
    QVERIFY2(box, combo);
    const int index = box->findData(value);
    QVERIFY2(index >= 0, qPrintable(value));
    box->setCurrentIndex(index);
}

void TestExperimentDialog::fillsChoicesFromProject()
{
    ExperimentDialog dialog(m_project->database());
    auto *source = dialog.findChild<QComboBox *>(QStringLiteral("sourceCorpus"));
    auto *model = dialog.findChild<QComboBox *>(QStringLiteral("baseModel"));
    auto *strategy = dialog.findChild<QComboBox *>(QStringLiteral("strategy"));
    QCOMPARE(source->count(), 3);
    const int books = source->findData(QStringLiteral("books"));
    QVERIFY(books >= 0);
    QVERIFY2(source->itemText(books).contains(QStringLiteral("2 labels")), qPrintable(source->itemText(books)));
    QVERIFY2(source->itemText(books).contains(QStringLiteral("unlabelled")), qPrintable(source->itemText(books)));
    QCOMPARE(model->count(), 1);
    QVERIFY2(model->itemText(0).contains(QStringLiteral("parameters")), qPrintable(model->itemText(0)));
    QCOMPARE(strategy->count(), StrategyRegistry::all().size());
    select(dialog, "strategy", QStringLiteral("dann"));
    QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("strategyDescription"))->text(),
             StrategyRegistry::find(QStringLiteral("dann"))->description);
    QVERIFY(dialog.memoryEstimate() > 0);
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("memoryEstimate"))->text().contains(QStringLiteral("RAM")));
}

void TestExperimentDialog::buildsStrategySettingsFromCatalogue()
{
    ExperimentDialog dialog(m_project->database());
    select(dialog, "strategy", QStringLiteral("lora"));
    auto *rank = dialog.findChild<QSpinBox *>(QStringLiteral("option_rank"));
    QVERIFY(rank);
    QCOMPARE(rank->minimum(), 1);
    QCOMPARE(rank->maximum(), 1024);
    QCOMPARE(rank->value(), 8);
    QCOMPARE(rank->toolTip(), StrategyRegistry::find(QStringLiteral("lora"))->options.first().help);
    QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("option_targets")));
    rank->setValue(4);
    QCOMPARE(dialog.plan().request.config.options.value(QStringLiteral("rank")).toInt(), 4);

    select(dialog, "strategy", QStringLiteral("multitask"));
    QVERIFY(!dialog.findChild<QSpinBox *>(QStringLiteral("option_rank")));
    auto *sampling = dialog.findChild<QComboBox *>(QStringLiteral("option_sampling"));
    QVERIFY(sampling);
    QCOMPARE(sampling->currentText(), QStringLiteral("temperature"));
    select(dialog, "strategy", QStringLiteral("freeze"));
    auto *embeddings = dialog.findChild<QCheckBox *>(QStringLiteral("option_freeze_embeddings"));
    QVERIFY(embeddings && embeddings->isChecked());
    QCOMPARE(dialog.plan().request.config.options.value(QStringLiteral("freeze_embeddings")).toBool(), true);
}

void TestExperimentDialog::blocksStartWithReason_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("strategy");
    QTest::addColumn<QString>("reason");
    QTest::newRow("source without two classes") << "empty" << "electronics" << "source-only" << "at least two";
    QTest::newRow("dann without unlabelled target") << "books" << "empty" << "dann" << "unlabelled";
    QTest::newRow("dapt without unlabelled target") << "books" << "empty" << "dapt" << "unlabelled";
}

void TestExperimentDialog::blocksStartWithReason()
{
    QFETCH(QString, source);
    QFETCH(QString, target);
    QFETCH(QString, strategy);
    QFETCH(QString, reason);
    ExperimentDialog dialog(m_project->database());
    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("startButton"));
    QVERIFY(start->isEnabled());
    select(dialog, "sourceCorpus", source);
    select(dialog, "targetCorpus", target);
    select(dialog, "strategy", strategy);
    QVERIFY(!dialog.canStart());
    QVERIFY(!start->isEnabled());
    QVERIFY2(dialog.findChild<QLabel *>(QStringLiteral("problems"))->text().contains(reason),
             qPrintable(dialog.errors().join(QLatin1Char('\n'))));
    QVERIFY(start->toolTip().contains(reason));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    select(dialog, "sourceCorpus", QStringLiteral("books"));
    select(dialog, "targetCorpus", QStringLiteral("electronics"));
    QVERIFY(start->isEnabled());
}

void TestExperimentDialog::showsPreflightProblems()
{
    // The engine's check, inline: a maximum length beyond the model's 256 positions.
    ExperimentDialog dialog(m_project->database());
    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("startButton"));
    auto *maxLength = dialog.findChild<QSpinBox *>(QStringLiteral("maxLength"));
    QVERIFY(start->isEnabled());
    maxLength->setValue(300);
    QVERIFY(!start->isEnabled());
    const QString shown = dialog.findChild<QLabel *>(QStringLiteral("problems"))->text();
    QVERIFY2(shown.contains(QLatin1String("max_length (--max-length) is 300")), qPrintable(shown));
    QVERIFY2(shown.contains(QLatin1String("positions for 256 tokens")), qPrintable(shown));
    maxLength->setValue(256);
    QVERIFY(start->isEnabled());
    // Few-shot budgets need target labels.
    select(dialog, "targetCorpus", QStringLiteral("empty"));
    dialog.findChild<QCheckBox *>(QStringLiteral("budget_8"))->setChecked(true);
    QVERIFY2(dialog.errors().join(QString()).contains(QLatin1String("target corpus \"empty\" has no labelled documents")),
             qPrintable(dialog.errors().join(QLatin1Char('\n'))));
}

void TestExperimentDialog::warnsWithoutBlocking()
{
    ExperimentDialog dialog(m_project->database());
    select(dialog, "sourceCorpus", QStringLiteral("books"));
    select(dialog, "targetCorpus", QStringLiteral("books"));
    QVERIFY(dialog.canStart());
    QVERIFY(dialog.warnings().join(QString()).contains(QStringLiteral("same corpus")));

    select(dialog, "targetCorpus", QStringLiteral("electronics"));
    QVERIFY(dialog.warnings().isEmpty());
    // Above 80% of the RAM: a warning; above all of it: refused, as the engine would (with the
    // batch in one piece: "auto" accumulation would split it, gradientAccumulationFillsTheRequest).
    dialog.findChild<QSpinBox *>(QStringLiteral("gradientAccumulation"))->setValue(1);
    dialog.setAvailableMemory(dialog.memoryEstimate() * 10 / 9);
    QVERIFY(dialog.canStart());
    QVERIFY2(dialog.warnings().join(QString()).contains(QStringLiteral("RAM")), qPrintable(dialog.warnings().join(QString())));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("problems"))->isVisibleTo(&dialog));
    dialog.setAvailableMemory(dialog.memoryEstimate() / 2);
    QVERIFY(!dialog.canStart());
    QVERIFY2(dialog.errors().join(QString()).contains(QStringLiteral("lower the batch size")), qPrintable(dialog.errors().join(QString())));
    dialog.setAvailableMemory(dialog.memoryEstimate() * 10);
    const qint64 before = dialog.memoryEstimate();
    dialog.findChild<QSpinBox *>(QStringLiteral("batchSize"))->setValue(64);
    QVERIFY(dialog.memoryEstimate() > before);
    select(dialog, "device", QStringLiteral("cuda"));
    QVERIFY(dialog.warnings().isEmpty());
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("memoryEstimate"))->text().contains(QStringLiteral("GPU")));
}

void TestExperimentDialog::producesPlan()
{
    ExperimentDialog dialog(m_project->database());
    select(dialog, "sourceCorpus", QStringLiteral("electronics"));
    select(dialog, "targetCorpus", QStringLiteral("books"));
    select(dialog, "strategy", QStringLiteral("source-only"));
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("quickRunCaps")), Qt::LeftButton);
    dialog.findChild<QSpinBox *>(QStringLiteral("seedCount"))->setValue(3);
    dialog.findChild<QCheckBox *>(QStringLiteral("budget_0"))->setChecked(true);
    dialog.findChild<QCheckBox *>(QStringLiteral("budget_all"))->setChecked(true);
    const ui::ExperimentPlan plan = dialog.plan();
    QCOMPARE(plan.request.sourceCorpus, QStringLiteral("electronics"));
    QCOMPARE(plan.request.targetCorpus, QStringLiteral("books"));
    QCOMPARE(plan.request.model, QStringLiteral("tiny"));
    const TrainingConfig &c = plan.request.config;
    QCOMPARE(c.strategy, QStringLiteral("source-only"));
    QCOMPARE(c.maxTrainExamples, 64);
    QCOMPARE(c.maxEvalExamples, 32);
    QCOMPARE(c.maxLength, 32);
    QCOMPARE(c.epochs, 1);
    QCOMPARE(c.batchSize, 16);
    QCOMPARE(c.learningRate, 1e-3); // the built-in model's own rate (ModelDefaults), kept by the quick caps
    QCOMPARE(plan.seeds, 3);
    QCOMPARE(plan.labelBudgets, (QList<int>{0, -1}));
    QVERIFY(plan.isGroup());
    QCOMPARE(c.selection, QStringLiteral("last"));
    select(dialog, "selection", QStringLiteral("best-target"));
    QCOMPARE(dialog.plan().request.config.selection, QStringLiteral("best-target"));
    ui::ExperimentPlan restored = plan;
    restored.request.config.selection = QStringLiteral("best-source");
    dialog.setPlan(restored);
    QCOMPARE(dialog.plan().request.config.selection, QStringLiteral("best-source"));
    QCOMPARE(c.precision, QStringLiteral("auto"));
    select(dialog, "precision", QStringLiteral("fp32"));
    QCOMPARE(dialog.plan().request.config.precision, QStringLiteral("fp32"));
    restored.request.config.precision = QStringLiteral("bf16");
    dialog.setPlan(restored);
    QCOMPARE(dialog.plan().request.config.precision, QStringLiteral("bf16"));
    // On the CPU, bf16 needs a processor that has it: refused before Start otherwise.
    select(dialog, "device", QStringLiteral("cpu"));
    const bool refused = dialog.errors().join(QString()).contains(QStringLiteral("AVX512-BF16"));
    QCOMPARE(refused, !CpuFeatures::host().hasBf16());
}

void TestExperimentDialog::gradientCheckpointingFillsTheRequest()
{
    ExperimentDialog dialog(m_project->database());
    auto *field = dialog.findChild<QComboBox *>(QStringLiteral("gradientCheckpointing"));
    QVERIFY(field);
    QCOMPARE(dialog.plan().request.config.gradientCheckpointing, QStringLiteral("auto"));
    QVERIFY2(field->currentText().startsWith(QLatin1String("Auto")), qPrintable(field->currentText()));
    // The tiny model is far below the automatic threshold: off until asked for, then the estimate
    // counts recomputed layers.
    auto *memory = dialog.findChild<QLabel *>(QStringLiteral("memoryEstimate"));
    QVERIFY2(!memory->text().contains(QLatin1String("recomputed")), qPrintable(memory->text()));
    select(dialog, "gradientCheckpointing", QStringLiteral("on"));
    QCOMPARE(dialog.plan().request.config.gradientCheckpointing, QStringLiteral("on"));
    QVERIFY2(memory->text().contains(QLatin1String("layers recomputed in backward")), qPrintable(memory->text()));
    select(dialog, "gradientCheckpointing", QStringLiteral("off"));
    QCOMPARE(dialog.plan().request.config.gradientCheckpointing, QStringLiteral("off"));
    // A remembered or repeated plan puts its setting back into the field.
    ui::ExperimentPlan plan = dialog.plan();
    plan.request.config.gradientCheckpointing = QStringLiteral("on");
    dialog.setPlan(plan);
    QCOMPARE(field->currentData().toString(), QStringLiteral("on"));
    QCOMPARE(dialog.plan().request.config.gradientCheckpointing, QStringLiteral("on"));
    // Tab goes from Precision to this field.
    QCOMPARE(dialog.findChild<QComboBox *>(QStringLiteral("precision"))->nextInFocusChain(), field);
}

void TestExperimentDialog::gradientAccumulationFillsTheRequest()
{
    ExperimentDialog dialog(m_project->database());
    auto *field = dialog.findChild<QSpinBox *>(QStringLiteral("gradientAccumulation"));
    QVERIFY(field);
    QCOMPARE(dialog.plan().request.config.gradientAccumulation, TrainingConfig::kAutoAccumulation);
    QCOMPARE(field->text(), QStringLiteral("Auto"));
    field->setValue(2);
    QCOMPARE(dialog.plan().request.config.gradientAccumulation, 2);
    auto *memory = dialog.findChild<QLabel *>(QStringLiteral("memoryEstimate"));
    QVERIFY2(memory->text().contains(QLatin1String("in 2 micro-batches")), qPrintable(memory->text()));
    // Auto on plenty of memory: one piece; on half of what the whole batch needs: micro-batches, and
    // the estimate falls. The request keeps "auto" (the run decides on its device when it starts).
    field->setValue(1);
    const qint64 whole = dialog.memoryEstimate();
    field->setValue(TrainingConfig::kAutoAccumulation);
    dialog.setAvailableMemory(100 * whole);
    QVERIFY2(!memory->text().contains(QLatin1String("micro-batches")), qPrintable(memory->text()));
    dialog.setAvailableMemory(whole / 2);
    QVERIFY2(memory->text().contains(QLatin1String("micro-batches")), qPrintable(memory->text()));
    QVERIFY(dialog.memoryEstimate() < whole);
    QCOMPARE(dialog.plan().request.config.gradientAccumulation, TrainingConfig::kAutoAccumulation);
    // More micro-batches than examples is refused before Start.
    dialog.findChild<QSpinBox *>(QStringLiteral("batchSize"))->setValue(4);
    field->setValue(8);
    QVERIFY2(dialog.errors().join(QString()).contains(QLatin1String("gradient_accumulation")),
             qPrintable(dialog.errors().join(QLatin1Char('\n'))));
    // A repeated plan puts its factor back.
    ui::ExperimentPlan plan = dialog.plan();
    plan.request.config.batchSize = 16;
    plan.request.config.gradientAccumulation = 4;
    dialog.setPlan(plan);
    QCOMPARE(field->value(), 4);
}

void TestExperimentDialog::remembersLastPlan()
{
    {
        ExperimentDialog dialog(m_project->database());
        select(dialog, "strategy", QStringLiteral("lora"));
        dialog.findChild<QSpinBox *>(QStringLiteral("option_rank"))->setValue(16);
        dialog.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(7);
        dialog.findChild<QCheckBox *>(QStringLiteral("budget_8"))->setChecked(true);
        select(dialog, "targetCorpus", QStringLiteral("books"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    ExperimentDialog next(m_project->database());
    QCOMPARE(next.plan().request.config.strategy, TrainingConfig().strategy);
    next.restoreSettings();
    const ui::ExperimentPlan plan = next.plan();
    QCOMPARE(plan.request.config.strategy, QStringLiteral("lora"));
    QCOMPARE(plan.request.config.options.value(QStringLiteral("rank")).toInt(), 16);
    QCOMPARE(plan.request.config.epochs, 7);
    QCOMPARE(plan.request.targetCorpus, QStringLiteral("books"));
    QCOMPARE(plan.labelBudgets, QList<int>{8});
}

void TestExperimentDialog::weightsKeptFollowTheProjectDefault()
{
    const QSqlDatabase db = m_project->database();
    const QString finalWeights = QString::fromLatin1(WeightRetention::kFinal);
    {
        ExperimentDialog dialog(db);
        QCOMPARE(dialog.plan().request.config.keep, finalWeights);
        select(dialog, "keep", QString::fromLatin1(WeightRetention::kNone));
        select(dialog, "targetCorpus", QStringLiteral("books"));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(WeightRetention::projectDefault(db).value(), finalWeights); // not asked to become the default
    }
    {
        // The remembered plan starts from the project's default, not from the last choice.
        ExperimentDialog next(db);
        next.restoreSettings();
        QCOMPARE(next.plan().request.config.keep, finalWeights);
        select(next, "keep", QString::fromLatin1(WeightRetention::kBestAndFinal));
        next.findChild<QCheckBox *>(QStringLiteral("keepAsDefault"))->setChecked(true);
        QTest::mouseClick(next.findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
        QCOMPARE(next.result(), int(QDialog::Accepted));
    }
    QCOMPARE(WeightRetention::projectDefault(db).value(), QString::fromLatin1(WeightRetention::kBestAndFinal));
    ExperimentDialog third(db);
    QCOMPARE(third.plan().request.config.keep, QString::fromLatin1(WeightRetention::kBestAndFinal));
    QVERIFY(WeightRetention::setProjectDefault(db, finalWeights).ok());
}

void TestExperimentDialog::proposesModelDefaults()
{
    ExperimentDialog dialog(m_project->database());
    QCOMPARE(dialog.plan().request.model, QStringLiteral("tiny"));
    auto *rate = dialog.findChild<QDoubleSpinBox *>(QStringLiteral("learningRate"));
    QVERIFY(rate);
    QCOMPARE(rate->value(), 1e-3);
    QCOMPARE(dialog.plan().request.config.batchSize, 32);
    QVERIFY2(dialog.modelDefaultsText().contains(QLatin1String("trained from scratch")), qPrintable(dialog.modelDefaultsText()));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("modelDefaults"))->text() == dialog.modelDefaultsText());
    // A value typed by hand stays until the model's defaults are asked for again.
    rate->setValue(2e-4);
    QCOMPARE(dialog.plan().request.config.learningRate, 2e-4);
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("useModelDefaults")), Qt::LeftButton);
    QCOMPARE(dialog.plan().request.config.learningRate, 1e-3);
}

void TestExperimentDialog::unitsAndFocusOrder()
{
    ExperimentDialog dialog(m_project->database());
    auto *every = dialog.findChild<QSpinBox *>(QStringLiteral("evalEvery"));
    QVERIFY(every);
    every->setValue(50);
    QVERIFY2(every->text().contains(QLatin1String("steps")), qPrintable(every->text()));
    every->setValue(0);
    QCOMPARE(every->text(), QStringLiteral("once per epoch"));
    // Tab follows the form: the left column from the top, then the right one.
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("runName"))->nextInFocusChain(),
             dialog.findChild<QComboBox *>(QStringLiteral("sourceCorpus")));
    // From the strategy it goes through its settings before the training section.
    select(dialog, "strategy", QStringLiteral("lora"));
    QWidget *strategy = dialog.findChild<QComboBox *>(QStringLiteral("strategy"));
    QCOMPARE(strategy->nextInFocusChain()->objectName().left(7), QStringLiteral("option_"));
    // The left column ends with the repeats and the quick run caps; the training section starts
    // with the model's proposal, then its fields from the top.
    QCOMPARE(dialog.findChild<QCheckBox *>(QStringLiteral("budget_all"))->nextInFocusChain(),
             dialog.findChild<QSpinBox *>(QStringLiteral("maxTrainExamples")));
    QWidget *useDefaults = dialog.findChild<QPushButton *>(QStringLiteral("useModelDefaults"));
    QCOMPARE(dialog.findChild<QPushButton *>(QStringLiteral("quickRunCaps"))->nextInFocusChain(), useDefaults);
    QCOMPARE(useDefaults->nextInFocusChain(), dialog.findChild<QSpinBox *>(QStringLiteral("epochs")));
    // Both columns start at the top: the repeats sit under the strategy, left of the training.
    dialog.resize(1080, 720);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QWidget *repeats = dialog.findChild<QSpinBox *>(QStringLiteral("seedCount"));
    const QWidget *epochs = dialog.findChild<QSpinBox *>(QStringLiteral("epochs"));
    QVERIFY(repeats->mapTo(&dialog, QPoint()).x() < epochs->mapTo(&dialog, QPoint()).x());
}

QTEST_MAIN(TestExperimentDialog)
#include "tst_experimentdialog.moc"
