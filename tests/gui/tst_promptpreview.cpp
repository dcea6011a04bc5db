// The prompt editor and its live preview in New Experiment (offscreen), on a project holding the
// sample corpora, the built-in tiny decoder and tiny encoder: shown only for strategies whose
// descriptor says they use prompts; the preview is the exact text the engine builds (the first
// target text, the demonstrations a run would draw with its data seed); prompt and label-word
// mistakes block Start with the option named, as the CLI refuses them; the plan carries the
// options. With TS_GUI_SCREENSHOTS set, the dialog is saved there as a PNG.
#include "TempProject.h"

#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "runs/ExperimentDialog.h"
#include "runs/PromptPreviewPanel.h"
#include "transfer/PromptPreview.h"
#include "transfer/PromptSettings.h"
#include "transfer/StrategyRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

using namespace ts;
using ui::ExperimentDialog;

class TestPromptPreview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void shownOnlyForStrategiesThatUsePrompts();
    void previewIsTheExactPrompt();
    void mistakesBlockStartWithTheOptionNamed();

private:
    void select(ExperimentDialog &dialog, const char *combo, const QString &value);
    void screenshot(ExperimentDialog &dialog, const QString &name);

    test::TempFolder m_folder;
    std::unique_ptr<Project> m_project;
};

void TestPromptPreview::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    auto project = Project::create(m_folder.path(QStringLiteral("prompts.tstudio")));
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")})
        QVERIFY(SampleCorpora::importDomain(*m_project, domain).ok());
    QVERIFY(BuiltinModels::addToProject(m_project->database(), QStringLiteral("tiny-decoder"), QStringLiteral("dec"),
                                        {QStringLiteral("books")}, {})
                .ok());
    QVERIFY(BuiltinModels::addToProject(m_project->database(), QStringLiteral("tiny-encoder"), QStringLiteral("enc"),
                                        {QStringLiteral("books")}, {})
                .ok());
}

void TestPromptPreview::init()
{
    QSettings().remove(QStringLiteral("experiment"));
}

void TestPromptPreview::select(ExperimentDialog &dialog, const char *combo, const QString &value)
{
    auto *box = dialog.findChild<QComboBox *>(QLatin1String(combo));
    QVERIFY2(box, combo);
    const int index = box->findData(value);
    QVERIFY2(index >= 0, qPrintable(value));
    box->setCurrentIndex(index);
}

void TestPromptPreview::screenshot(ExperimentDialog &dialog, const QString &name)
{
    const QString dir = qEnvironmentVariable("TS_GUI_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    dialog.resize(dialog.width(), 1000); // tall enough to show the preview without scrolling
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))));
}

void TestPromptPreview::shownOnlyForStrategiesThatUsePrompts()
{
    ExperimentDialog dialog(m_project->database());
    select(dialog, "sourceCorpus", QStringLiteral("books"));
    select(dialog, "targetCorpus", QStringLiteral("electronics"));
    select(dialog, "baseModel", QStringLiteral("dec"));
    auto *panel = dialog.findChild<ui::PromptPreviewPanel *>(QStringLiteral("promptPreview"));
    QVERIFY(panel);
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        select(dialog, "strategy", d.name);
        QCOMPARE(!panel->isHidden(), d.usesPrompt);
        QCOMPARE(dialog.findChild<QPlainTextEdit *>(QStringLiteral("option_prompt")) != nullptr, d.usesPrompt);
    }
}

void TestPromptPreview::previewIsTheExactPrompt()
{
    ExperimentDialog dialog(m_project->database());
    select(dialog, "sourceCorpus", QStringLiteral("books"));
    select(dialog, "targetCorpus", QStringLiteral("electronics"));
    select(dialog, "baseModel", QStringLiteral("dec"));
    QString inContext;
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        if (d.usesPrompt && d.option(QString::fromLatin1(PromptSettings::kDemonstrations)))
            inContext = d.name;
    }
    QVERIFY(!inContext.isEmpty());
    select(dialog, "strategy", inContext);
    dialog.findChild<QCheckBox *>(QStringLiteral("budget_0"))->setChecked(false);
    dialog.findChild<QCheckBox *>(QStringLiteral("budget_8"))->setChecked(true);
    auto *prompt = dialog.findChild<QPlainTextEdit *>(QStringLiteral("option_prompt"));
    auto *words = dialog.findChild<QLineEdit *>(QStringLiteral("option_label_words"));
    auto *demonstrations = dialog.findChild<QSpinBox *>(QStringLiteral("option_demonstrations"));
    QVERIFY(prompt && words && demonstrations);
    prompt->setPlainText(QStringLiteral("Review: {text}\nVerdict: {mask}"));
    words->setText(QStringLiteral("0=bad,1=good"));
    demonstrations->setValue(1);
    QVERIFY2(dialog.canStart(), qPrintable(dialog.errors().join('\n')));

    auto *panel = dialog.findChild<ui::PromptPreviewPanel *>(QStringLiteral("promptPreview"));
    const RunRequest request = dialog.plan().request;
    QCOMPARE(request.config.options.value(QStringLiteral("prompt")).toString(),
             QStringLiteral("Review: {text}\nVerdict: {mask}"));
    // What the engine builds for the same request (the run's own draws), compared character by character.
    RunRequest withBudget = request;
    withBudget.config.targetLabels = 8;
    const auto preview = PromptPreview::load(m_project->database(), withBudget);
    QVERIFY2(preview, qPrintable(preview.error()));
    const auto expected = preview->render(withBudget.config, true, QString());
    QVERIFY2(expected, qPrintable(expected.error()));
    QCOMPARE(panel->promptText(), expected.value());
    const QStringList blocks = panel->promptText().split(QStringLiteral("\n\n"));
    QCOMPARE(blocks.size(), 3); // one demonstration per class, then the query
    QVERIFY(blocks.last().startsWith(QStringLiteral("Review: ") + preview->query()));
    QVERIFY(blocks.last().endsWith(QLatin1String("Verdict:")));
    QVERIFY(blocks[0].endsWith(QLatin1String("Verdict: bad")) || blocks[0].endsWith(QLatin1String("Verdict: good")));
    QVERIFY2(panel->note().contains(QLatin1String("the target's few labels")), qPrintable(panel->note()));
    QVERIFY(panel->note().contains(QLatin1String("bad | good")));
    screenshot(dialog, QStringLiteral("prompt-decoder"));

    // An encoder: the label word goes at its mask token.
    select(dialog, "baseModel", QStringLiteral("enc"));
    prompt->setPlainText(QStringLiteral("{text} It was {mask}."));
    QVERIFY2(dialog.canStart(), qPrintable(dialog.errors().join('\n')));
    QVERIFY2(panel->promptText().endsWith(QLatin1String("It was [MASK].")), qPrintable(panel->promptText()));
    screenshot(dialog, QStringLiteral("prompt-encoder"));
}

void TestPromptPreview::mistakesBlockStartWithTheOptionNamed()
{
    ExperimentDialog dialog(m_project->database());
    select(dialog, "sourceCorpus", QStringLiteral("books"));
    select(dialog, "targetCorpus", QStringLiteral("electronics"));
    select(dialog, "baseModel", QStringLiteral("dec"));
    QString promptStrategy;
    for (const StrategyDescriptor &d : StrategyRegistry::all()) {
        if (d.usesPrompt)
            promptStrategy = d.name;
    }
    select(dialog, "strategy", promptStrategy);
    auto *prompt = dialog.findChild<QPlainTextEdit *>(QStringLiteral("option_prompt"));
    auto *words = dialog.findChild<QLineEdit *>(QStringLiteral("option_label_words"));
    auto *panel = dialog.findChild<ui::PromptPreviewPanel *>(QStringLiteral("promptPreview"));

    prompt->setPlainText(QStringLiteral("Review: {review} {mask}"));
    QVERIFY(!dialog.canStart());
    QVERIFY2(dialog.errors().join('\n').contains(QLatin1String("unknown placeholder {review}")),
             qPrintable(dialog.errors().join('\n')));
    QVERIFY(panel->note().contains(QLatin1String("{review}")));

    prompt->setPlainText(QStringLiteral("{text} was {mask}, really"));
    QVERIFY(!dialog.canStart());
    QVERIFY(dialog.errors().join('\n').contains(QLatin1String("{mask} must end the template")));

    prompt->setPlainText(QStringLiteral("{text} Verdict: {mask}"));
    words->setText(QStringLiteral("1=good"));
    QVERIFY(!dialog.canStart());
    QVERIFY2(dialog.errors().join('\n').contains(QLatin1String("label \"0\" has no word")),
             qPrintable(dialog.errors().join('\n')));
    words->setText(QStringLiteral("1=good,0=bad,2=meh"));
    QVERIFY(dialog.errors().join('\n').contains(QLatin1String("unknown label \"2\"")));
    words->setText(QStringLiteral("1=good,0=bad"));
    QVERIFY2(dialog.canStart(), qPrintable(dialog.errors().join('\n')));
    QVERIFY(panel->promptText().endsWith(QLatin1String("Verdict:")));
    screenshot(dialog, QStringLiteral("prompt-finetune"));
}

QTEST_MAIN(TestPromptPreview)
#include "tst_promptpreview.moc"
