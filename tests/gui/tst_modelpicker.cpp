// The model picker with real widgets (offscreen): a built-in model built on the worker thread and
// listed, cancelling a build, the memory column against the machine's RAM, adding folders (and
// refusing pickle-only ones), registering a Hugging Face cache model on accept, the main window's action.
#include "TempProject.h"

#include "main/MainWindow.h"
#include "model/ModelRegistry.h"
#include "models/ModelPickerDialog.h"
#include "models/SystemMemory.h"
#include "project/Project.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace ts;
using ui::ModelPickerDialog;

namespace {

constexpr int kBuildTimeoutMs = 120000; // a tiny model builds in about a second
const QString kFixture = QStringLiteral(TS_TEST_DATA_DIR "/models/bert");
const QString kTokenizer = QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/bert-uncased.tokenizer.json");

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return QDir().mkpath(QFileInfo(path).path()) && file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// A Hugging Face folder at `dir`: the BERT fixture's weights, `config` (the fixture's when empty), a tokenizer.
bool makeModelFolder(const QString &dir, const QJsonObject &config = {})
{
    QFile fixtureConfig(kFixture + QStringLiteral("/config.json"));
    if (!fixtureConfig.open(QIODevice::ReadOnly) || !QDir().mkpath(dir))
        return false;
    const QByteArray configBytes = config.isEmpty() ? fixtureConfig.readAll() : QJsonDocument(config).toJson();
    return writeFile(dir + QStringLiteral("/config.json"), configBytes)
        && QFile::copy(kFixture + QStringLiteral("/model.safetensors"), dir + QStringLiteral("/model.safetensors"))
        && QFile::copy(kTokenizer, dir + QStringLiteral("/tokenizer.json"));
}

/// BERT-large's config.json: far more memory than any machine has at batch 4096 x 512.
QJsonObject bertLarge()
{
    return QJsonObject{{"model_type", "bert"}, {"vocab_size", 30522}, {"hidden_size", 1024},
                       {"num_hidden_layers", 24}, {"num_attention_heads", 16}, {"intermediate_size", 4096},
                       {"max_position_embeddings", 512}};
}

int rowNamed(const QTableWidget *table, const QString &name)
{
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, ModelPickerDialog::NameColumn)->text() == name)
            return r;
    }
    return -1;
}

qint64 memoryBytes(const QTableWidget *table, int row)
{
    return table->item(row, ModelPickerDialog::MemoryColumn)->data(ModelPickerDialog::MemoryBytesRole).toLongLong();
}

} // namespace

class TestModelPicker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void builtinBuildsOnWorkerAndIsListed();
    void cancelStopsBuild();
    void builtinWithoutTextsFails();
    void memoryComparedWithRam();
    void parsesMemInfo();
    void addFolderAndRefusePickles();
    void cacheModelRegisteredOnAccept();
    void mainWindowOpensPicker();

private:
    void importTexts();

    std::unique_ptr<test::TempFolder> m_dir;
    std::unique_ptr<Project> m_project;
    QString m_hub;
};

void TestModelPicker::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_modelpicker"));
}

void TestModelPicker::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    m_hub = m_dir->path(QStringLiteral("hub"));
    QVERIFY(QDir().mkpath(m_hub));
    qputenv("HF_HUB_CACHE", m_hub.toUtf8()); // never the real cache of the machine running the tests
    auto project = Project::create(m_dir->path(QStringLiteral("p.tstudio")));
    QVERIFY2(project, qPrintable(project.error()));
    m_project = std::move(project.value());
}

void TestModelPicker::cleanup()
{
    m_project.reset();
    m_dir.reset();
}

void TestModelPicker::importTexts()
{
    QFile corpus(QStringLiteral(TS_TEST_DATA_DIR "/tokenizers/trainer-corpus.txt"));
    QVERIFY(corpus.open(QIODevice::ReadOnly));
    QSqlQuery q(m_project->database());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO corpora(name, created_at) VALUES ('reviews', '2024-01-01')")));
    const qint64 corpusId = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral("INSERT INTO documents(corpus_id, split, text) VALUES (?, 'unlabeled', ?)"));
    for (const QString &line : QString::fromUtf8(corpus.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        q.addBindValue(corpusId);
        q.addBindValue(line);
        QVERIFY(q.exec());
    }
}

void TestModelPicker::builtinBuildsOnWorkerAndIsListed()
{
    importTexts();
    ModelPickerDialog dialog(*m_project, m_hub);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.table()->rowCount(), 0);
    QSignalSpy added(&dialog, &ModelPickerDialog::modelAdded);
    QVERIFY(dialog.startBuiltin(QStringLiteral("tiny-encoder"), QStringLiteral("tiny")));
    QVERIFY(!dialog.startBuiltin(QStringLiteral("tiny-decoder"), QStringLiteral("second"))); // one build at a time
    QVERIFY(dialog.findChild<QProgressDialog *>(QStringLiteral("buildProgress")));
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("addBuiltinButton"))->isEnabled());
    QVERIFY(added.wait(kBuildTimeoutMs));
    const qint64 id = added.first().first().toLongLong();
    QTRY_VERIFY(!dialog.findChild<QProgressDialog *>(QStringLiteral("buildProgress")));
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("addBuiltinButton"))->isEnabled());

    const auto record = ModelRegistry::load(m_project->database(), id);
    QVERIFY2(record, qPrintable(record.error()));
    QTableWidget *table = dialog.table();
    const int row = rowNamed(table, QStringLiteral("tiny"));
    QVERIFY(row >= 0);
    QCOMPARE(table->currentRow(), row);
    QCOMPARE(table->item(row, ModelPickerDialog::NameColumn)->data(ModelPickerDialog::ModelIdRole).toLongLong(), id);
    QCOMPARE(table->item(row, ModelPickerDialog::ArchitectureColumn)->text(), QStringLiteral("bert"));
    QCOMPARE(table->item(row, ModelPickerDialog::MaxLengthColumn)->text(), QStringLiteral("256"));
    QCOMPARE(memoryBytes(table, row), record->config.trainingMemoryBytes(16, 128, DType::F32));
    QVERIFY(table->item(row, ModelPickerDialog::MemoryColumn)->text().endsWith(QLatin1String("MiB")));

    dialog.batchSizeBox()->setValue(32);
    QCOMPARE(memoryBytes(table, row), record->config.trainingMemoryBytes(32, 128, DType::F32));
    dialog.maxLengthBox()->setValue(1000); // beyond the model's 256 positions: estimated at 256
    QCOMPARE(memoryBytes(table, row), record->config.trainingMemoryBytes(32, 256, DType::F32));

    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.selectedModelId(), id);
}

void TestModelPicker::cancelStopsBuild()
{
    importTexts();
    ModelPickerDialog dialog(*m_project, m_hub);
    QSignalSpy failed(&dialog, &ModelPickerDialog::buildFailed);
    QVERIFY(dialog.startBuiltin(QStringLiteral("small-encoder"), QStringLiteral("small")));
    auto *progress = dialog.findChild<QProgressDialog *>(QStringLiteral("buildProgress"));
    QVERIFY(progress);
    QTest::mouseClick(progress->findChild<QPushButton *>(), Qt::LeftButton); // the user's Cancel
    QVERIFY(failed.wait(kBuildTimeoutMs));
    QVERIFY2(dialog.statusText().contains(QLatin1String("cancelled")), qPrintable(dialog.statusText()));
    QCOMPARE(ModelRegistry::list(m_project->database())->size(), 0);
    QCOMPARE(dialog.table()->rowCount(), 0);
}

void TestModelPicker::builtinWithoutTextsFails()
{
    ModelPickerDialog dialog(*m_project, m_hub);
    QSignalSpy failed(&dialog, &ModelPickerDialog::buildFailed);
    QVERIFY(dialog.startBuiltin(QStringLiteral("tiny-decoder"), QStringLiteral("dec")));
    QVERIFY(failed.wait(kBuildTimeoutMs));
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("no documents")),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(dialog.statusText(), failed.first().first().toString());
}

void TestModelPicker::memoryComparedWithRam()
{
    QVERIFY(makeModelFolder(m_hub + QStringLiteral("/models--acme--bert-large/snapshots/1"), bertLarge()));
    QVERIFY(makeModelFolder(m_hub + QStringLiteral("/models--acme--tiny-bert/snapshots/1")));
    ModelPickerDialog dialog(*m_project, m_hub);
    const qint64 ram = ui::SystemMemory::totalBytes();
    QVERIFY(ram > 0);
    QCOMPARE(dialog.deviceMemoryBytes(), ram);
    QTableWidget *table = dialog.table();
    const int large = rowNamed(table, QStringLiteral("acme/bert-large"));
    const int tiny = rowNamed(table, QStringLiteral("acme/tiny-bert"));
    QVERIFY(large >= 0 && tiny >= 0);
    QCOMPARE(table->item(large, ModelPickerDialog::SourceColumn)->text(), QStringLiteral("Hugging Face cache"));
    dialog.batchSizeBox()->setValue(4096);
    dialog.maxLengthBox()->setValue(512);
    QTableWidgetItem *largeMemory = table->item(large, ModelPickerDialog::MemoryColumn);
    QVERIFY(memoryBytes(table, large) > ram);
    QCOMPARE(largeMemory->foreground().color(), QColor(Qt::red));
    QVERIFY2(largeMemory->toolTip().contains(QLatin1String("more than")), qPrintable(largeMemory->toolTip()));
    QVERIFY(memoryBytes(table, tiny) < ram);
    QVERIFY(table->item(tiny, ModelPickerDialog::MemoryColumn)->foreground().style() == Qt::NoBrush);
}

void TestModelPicker::parsesMemInfo()
{
    QCOMPARE(ui::SystemMemory::parseMemTotal("MemTotal:       16318412 kB\nMemFree: 1 kB\n"), qint64(16318412) * 1024);
    QCOMPARE(ui::SystemMemory::parseMemTotal("MemFree: 1 kB\n"), qint64(0));
    QCOMPARE(ui::SystemMemory::parseMemTotal("MemTotal: lots kB\n"), qint64(0));
}

void TestModelPicker::addFolderAndRefusePickles()
{
    const QString folder = m_dir->path(QStringLiteral("my-bert"));
    QVERIFY(makeModelFolder(folder));
    const QString pickled = m_dir->path(QStringLiteral("pickled"));
    QVERIFY(QDir().mkpath(pickled));
    QVERIFY(QFile::copy(kFixture + QStringLiteral("/config.json"), pickled + QStringLiteral("/config.json")));
    QVERIFY(writeFile(pickled + QStringLiteral("/pytorch_model.bin"), "never opened"));

    ModelPickerDialog dialog(*m_project, m_hub);
    QSignalSpy added(&dialog, &ModelPickerDialog::modelAdded);
    QVERIFY(dialog.addFolder(folder));
    QCOMPARE(added.size(), 1);
    QVERIFY(dialog.addFolder(folder)); // the same folder again gets a free name
    const int row = rowNamed(dialog.table(), QStringLiteral("my-bert"));
    QVERIFY(row >= 0);
    QVERIFY(rowNamed(dialog.table(), QStringLiteral("my-bert-2")) >= 0);
    QCOMPARE(dialog.table()->item(row, ModelPickerDialog::SourceColumn)->text(), QStringLiteral("Project (folder)"));
    QCOMPARE(dialog.table()->item(row, ModelPickerDialog::VocabularyColumn)->text(), QStringLiteral("100"));

    QVERIFY(!dialog.addFolder(pickled));
    QVERIFY2(dialog.statusText().contains(QLatin1String("safe_serialization=True")), qPrintable(dialog.statusText()));
    QCOMPARE(added.size(), 2);
}

void TestModelPicker::cacheModelRegisteredOnAccept()
{
    QVERIFY(makeModelFolder(m_hub + QStringLiteral("/models--acme--tiny-bert/snapshots/1")));
    {
        ModelPickerDialog dialog(*m_project, m_hub);
        const int row = rowNamed(dialog.table(), QStringLiteral("acme/tiny-bert"));
        QVERIFY(row >= 0);
        QCOMPARE(dialog.table()->item(row, ModelPickerDialog::NameColumn)->data(ModelPickerDialog::ModelIdRole).toLongLong(), 0);
        dialog.table()->setCurrentCell(row, ModelPickerDialog::NameColumn);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.selectedModelId() > 0);
        const auto record = ModelRegistry::load(m_project->database(), dialog.selectedModelId());
        QVERIFY2(record, qPrintable(record.error()));
        QCOMPARE(record->name, QStringLiteral("acme/tiny-bert"));
    }
    ModelPickerDialog again(*m_project, m_hub);
    QCOMPARE(again.table()->rowCount(), 1); // the registered folder is no longer offered from the cache
    QCOMPARE(again.table()->item(0, ModelPickerDialog::SourceColumn)->text(), QStringLiteral("Project (folder)"));
}

void TestModelPicker::mainWindowOpensPicker()
{
    const QString path = m_project->path();
    m_project.reset();
    ui::MainWindow window;
    QVERIFY(window.openProject(path));
    auto *action = window.findChild<QAction *>(QStringLiteral("actionAddModel"));
    QVERIFY(action);
    bool opened = false;
    QTimer::singleShot(0, this, [&opened] {
        auto *dialog = qobject_cast<ModelPickerDialog *>(QApplication::activeModalWidget());
        opened = dialog != nullptr;
        if (QApplication::activeModalWidget())
            QApplication::activeModalWidget()->close();
    });
    action->trigger();
    QVERIFY(opened);
}

QTEST_MAIN(TestModelPicker)
#include "tst_modelpicker.moc"
