// The corpus view and the domain-shift view with real widgets (offscreen): keyset pages through
// 2,500 documents, the split filter, the label and length charts from the worker's pass, chart
// export, opening a corpus from the explorer, and a domain-shift report in the table, with the
// sub-word fragmentation of a registered model's tokenizer.
#include "TempProject.h"

#include "corpus/CategoryChart.h"
#include "corpus/CorpusView.h"
#include "corpus/DocumentTableModel.h"
#include "corpus/DomainShiftView.h"
#include "corpus/SplitText.h"
#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>
#include <qcustomplot.h>

using namespace ts;

namespace {

// Documents of the paging corpus: two full pages of 1,000 and a last one of 500.
constexpr int kDocuments = 2500;
// Every fifth document is in the test split.
constexpr int kTestEvery = 5;
// How long a worker's pass over a small corpus may take, in milliseconds.
constexpr int kWorkerTimeoutMs = 30000;

const QStringList kMusicWords = {QStringLiteral("guitar"), QStringLiteral("album"),  QStringLiteral("melody"),
                                 QStringLiteral("singer"), QStringLiteral("chorus"), QStringLiteral("drums")};
const QStringList kVideoWords = {QStringLiteral("camera"), QStringLiteral("film"),   QStringLiteral("scene"),
                                 QStringLiteral("actor"),  QStringLiteral("screen"), QStringLiteral("director")};

// Adds corpus `name` with `count` documents: labels alternate neg/pos, each text has
// 1 + (i % 20) words drawn from `words`.
bool addCorpus(Project &project, qint64 id, const QString &name, int count, const QStringList &words)
{
    return project
        .transaction([&](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO corpora(id, name, created_at) VALUES (?, ?, 'now')"));
            q.addBindValue(id);
            q.addBindValue(name);
            if (!q.exec())
                return Status::failure(QStringLiteral("corpus"));
            q.prepare(QStringLiteral("INSERT INTO documents(corpus_id, split, label, text, origin) VALUES (?, ?, ?, ?, ?)"));
            for (int i = 0; i < count; ++i) {
                QStringList text;
                for (int w = 0; w <= i % 20; ++w)
                    text << words.at((i + w) % words.size());
                q.addBindValue(id);
                q.addBindValue(i % kTestEvery == 0 ? QStringLiteral("test") : QStringLiteral("train"));
                q.addBindValue(i % 2 ? QStringLiteral("pos") : QStringLiteral("neg"));
                q.addBindValue(text.join(QLatin1Char(' ')) + QStringLiteral(" #%1").arg(i));
                q.addBindValue(QStringLiteral("%1.csv:%2").arg(name).arg(i + 2));
                if (!q.exec())
                    return Status::failure(QStringLiteral("document"));
            }
            return Status();
        })
        .ok();
}

} // namespace

class TestCorpusView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void pagesThroughDocuments();
    void splitFilterShowsOneSplit();
    void chartsShowTheCorpus();
    void exportsChartsInThreeFormats();
    void narrowLengthChartNamesItsLastBin();
    void explorerOpensCorpusTab();
    void domainShiftFillsTable();
    void domainShiftFragmentation();

private:
    std::unique_ptr<test::TempFolder> m_dir;
    QString m_path;
};

void TestCorpusView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_corpusview"));
}

void TestCorpusView::init()
{
    QSettings().clear();
    m_dir = std::make_unique<test::TempFolder>();
    m_path = m_dir->path(QStringLiteral("p.tstudio"));
    auto project = Project::create(m_path);
    QVERIFY(project.ok());
    QVERIFY(addCorpus(*project.value(), 1, QStringLiteral("music"), kDocuments, kMusicWords));
    QVERIFY(addCorpus(*project.value(), 2, QStringLiteral("video"), 300, kVideoWords));
}

void TestCorpusView::pagesThroughDocuments()
{
    ui::CorpusView view(m_path, QStringLiteral("music"));
    view.show();
    const ui::DocumentTableModel *model = view.documents();
    auto *next = view.findChild<QPushButton *>(QStringLiteral("nextPage"));
    auto *previous = view.findChild<QPushButton *>(QStringLiteral("previousPage"));
    QCOMPARE(model->rowCount(), 1000);
    QCOMPARE(model->document(0).id, 1);
    QVERIFY(!previous->isEnabled());

    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(model->pageIndex(), 1);
    QCOMPARE(model->rowCount(), 1000);
    QCOMPARE(model->document(0).id, 1001);
    QVERIFY(model->hasNextPage());

    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(model->pageIndex(), 2);
    QCOMPARE(model->rowCount(), 500);
    QCOMPARE(model->document(499).id, 2500);
    QVERIFY(!model->hasNextPage());
    QVERIFY(!next->isEnabled());
    QCOMPARE(model->data(model->index(499, ui::DocumentTableModel::OriginColumn)).toString(), QStringLiteral("music.csv:2501"));

    QTest::mouseClick(previous, Qt::LeftButton);
    QCOMPARE(model->pageIndex(), 1);
    QCOMPARE(model->document(0).id, 1001);
    QVERIFY(next->isEnabled());
}

void TestCorpusView::splitFilterShowsOneSplit()
{
    ui::CorpusView view(m_path, QStringLiteral("music"));
    view.findChild<QComboBox *>(QStringLiteral("splitFilter"))->setCurrentIndex(3); // Test
    const ui::DocumentTableModel *model = view.documents();
    QCOMPARE(model->rowCount(), kDocuments / kTestEvery);
    QVERIFY(!model->hasNextPage());
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->document(row).split, QStringLiteral("test"));
    view.setSplit(QString());
    QCOMPARE(model->rowCount(), 1000);
    // The stored "unlabeled" shows in the spelling of the rest of the workbench.
    QCOMPARE(ui::splitText(QStringLiteral("unlabeled")), QStringLiteral("unlabelled"));
    QCOMPARE(ui::splitText(QStringLiteral("test")), QStringLiteral("test"));
}

void TestCorpusView::chartsShowTheCorpus()
{
    ui::CorpusView view(m_path, QStringLiteral("music"));
    QSignalSpy loaded(&view, &ui::CorpusView::profileLoaded);
    QVERIFY(loaded.wait(kWorkerTimeoutMs));
    QCOMPARE(loaded.first().first().toString(), QString());
    QVERIFY(view.hasProfile());
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("pageLabel"))->text().endsWith(QLocale().toString(kDocuments)));

    const ui::CategoryChart *labels = view.labelChart();
    QCOMPARE(labels->categories(), (QStringList{QStringLiteral("neg"), QStringLiteral("pos")}));
    QCOMPARE(labels->value(0, 0), kDocuments / 2.0);
    QCOMPARE(labels->value(0, 1), kDocuments / 2.0);
    QVERIFY(!labels->plot()->legend->visible()); // one corpus: no legend row
    // The charts count every split, whichever the table shows.
    QCOMPARE(labels->scope(), QStringLiteral("All splits · %1 labelled documents").arg(QLocale().toString(kDocuments)));
    QVERIFY(labels->plot()->legend->layout() != labels->plot()->plotLayout());

    // Texts have 1 to 21 words: bins 0-7, 8-15 and 16-31 only.
    const ui::CategoryChart *lengths = view.lengthChart();
    QCOMPARE(lengths->seriesCount(), 1);
    QCOMPARE(lengths->categories().first(), QStringLiteral("0–7"));
    double total = 0;
    for (int bin = 0; bin < lengths->categories().size(); ++bin)
        total += lengths->value(0, bin);
    QCOMPARE(total, double(kDocuments));
    QCOMPARE(lengths->scope(), QStringLiteral("All splits · %1 documents").arg(QLocale().toString(kDocuments)));
    QVERIFY(lengths->value(0, 0) > 0);
    QCOMPARE(lengths->value(0, 3), 0.0);

    // A corpus without labels gets a message, and no count line above it.
    CorpusProfile unlabelled;
    unlabelled.name = QStringLiteral("raw");
    unlabelled.documents = unlabelled.unlabeled = 3;
    ui::CategoryChart chart(QStringLiteral("Label distribution"), QStringLiteral("labels"));
    chart.showLabels({unlabelled}, ui::CategoryChart::Scale::Count);
    QCOMPARE(chart.seriesCount(), 0);
    QCOMPARE(chart.scope(), QString());

    // One profile shown is one replot, bars and count line together.
    QSignalSpy replots(chart.plot(), &QCustomPlot::afterReplot);
    CorpusProfile music;
    music.name = QStringLiteral("music");
    music.documents = 4;
    music.labels = {{QStringLiteral("neg"), 1}, {QStringLiteral("pos"), 3}};
    music.lengths = {{8}, {3, 1}};
    chart.showLabels({music}, ui::CategoryChart::Scale::Share);
    QCOMPARE(replots.count(), 1);
    chart.showLengths({music, music}, ui::CategoryChart::Scale::Count);
    QCOMPARE(replots.count(), 2);
}

void TestCorpusView::exportsChartsInThreeFormats()
{
    ui::CorpusView view(m_path, QStringLiteral("video"));
    QSignalSpy loaded(&view, &ui::CorpusView::profileLoaded);
    QVERIFY(loaded.wait(kWorkerTimeoutMs));
    for (const QString &suffix : {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")}) {
        const QString path = m_dir->path(QStringLiteral("labels.") + suffix);
        QString error;
        QVERIFY2(view.labelChart()->exportTo(path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 1000);
    }
    QString error;
    QVERIFY(!view.lengthChart()->exportTo(m_dir->path(QStringLiteral("lengths.bmp")), &error));
    QVERIFY(error.contains(QLatin1String("unknown chart format")));
}

void TestCorpusView::narrowLengthChartNamesItsLastBin()
{
    // QCustomPlot leaves out a tick label that would cross the chart's edge: in a chart as narrow
    // as the corpus tab's at the default window size, the turned "2048+" was missing (how narrow
    // depends on the font, hence the sweep of widths).
    ui::CorpusView view(m_path, QStringLiteral("video"));
    QSignalSpy loaded(&view, &ui::CorpusView::profileLoaded);
    QVERIFY(loaded.wait(kWorkerTimeoutMs));
    QCustomPlot *plot = view.lengthChart()->plot();
    const QString last = view.lengthChart()->categories().last();
    QVERIFY(last.endsWith(QLatin1Char('+')));
    for (int width = 280; width <= 600; width += 20) {
        plot->resize(width, 260);
        const QString path = m_dir->path(QStringLiteral("lengths-%1.svg").arg(width));
        QString error;
        QVERIFY2(view.lengthChart()->exportTo(path, &error), qPrintable(error));
        QFile svg(path);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QString drawing = QString::fromUtf8(svg.readAll());
        QVERIFY2(drawing.contains(QLatin1Char('>') + last + QLatin1Char('<')), qPrintable(QString::number(width)));
        QVERIFY(drawing.contains(QStringLiteral(">0–7<")));
    }
}

void TestCorpusView::explorerOpensCorpusTab()
{
    ui::MainWindow window;
    QVERIFY(window.openProject(m_path));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTreeWidget *tree = window.explorer();
    QTreeWidgetItem *video = window.explorer()->corporaItem()->child(1);
    QCOMPARE(video->text(0), QStringLiteral("video"));
    const QRect rect = tree->visualItemRect(video);
    // A double click as the platform delivers it: press, release, then the double-click press.
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QCOMPARE(window.tabs()->count(), 2);
    auto *view = qobject_cast<ui::CorpusView *>(window.tabs()->currentWidget());
    QVERIFY(view);
    QCOMPARE(view->corpus(), QStringLiteral("video"));
    QCOMPARE(view->documents()->rowCount(), 300);

    // Activating it again shows the same tab; closing the project closes it.
    QCOMPARE(window.showCorpus(QStringLiteral("video")), view);
    QCOMPARE(window.tabs()->count(), 2);
    window.closeProject();
    QCOMPARE(window.tabs()->count(), 1);
}

void TestCorpusView::domainShiftFillsTable()
{
    ui::DomainShiftView view(m_path, {QStringLiteral("music"), QStringLiteral("video")});
    view.show();
    view.setCorpora(QStringLiteral("music"), QStringLiteral("video"));
    QSignalSpy computed(&view, &ui::DomainShiftView::computed);
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("compute")), Qt::LeftButton);
    QVERIFY(view.isComputing());
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("compute"))->isEnabled());
    QVERIFY(computed.wait(kWorkerTimeoutMs));
    QCOMPARE(computed.first().first().toString(), QString());
    QVERIFY(!view.isComputing());

    const QTableWidget *table = view.measures();
    const QLocale locale;
    QCOMPARE(table->item(ui::DomainShiftView::DocumentsRow, 1)->text(),
             QStringLiteral("%1 / %2").arg(locale.toString(kDocuments), locale.toString(300)));
    // Disjoint words (only the "#i" tags are shared): divergence near 1, classifier error near 0.
    const double js = locale.toDouble(table->item(ui::DomainShiftView::JensenShannonRow, 1)->text());
    QVERIFY2(js > 0.5 && js <= 1.0, qPrintable(table->item(ui::DomainShiftView::JensenShannonRow, 1)->text()));
    const double pad = locale.toDouble(table->item(ui::DomainShiftView::ProxyADistanceRow, 1)->text());
    QVERIFY2(pad > 1.5 && pad <= 2.0, qPrintable(table->item(ui::DomainShiftView::ProxyADistanceRow, 1)->text()));
    QVERIFY(table->item(ui::DomainShiftView::ProxyADistanceRow, 1)->toolTip().contains(QLatin1String("0 = indistinguishable")));
    QCOMPARE(table->item(ui::DomainShiftView::TokensPerWordRow, 1)->text(), QStringLiteral("–")); // no model picked
    // Both columns whole, headers included, at the width of the tab in the default window.
    view.resize(800, 650);
    QApplication::processEvents();
    const QHeaderView *header = table->horizontalHeader();
    for (int column = 0; column < table->columnCount(); ++column) {
        QVERIFY2(header->sectionSize(column) >= header->sectionSizeHint(column), qPrintable(QString::number(column)));
        for (int row = 0; row < table->rowCount(); ++row) {
            const QString text = table->item(row, column)->text();
            QVERIFY2(header->sectionSize(column) > table->fontMetrics().horizontalAdvance(text), qPrintable(text));
        }
    }
    QCOMPARE(view.labelChart()->seriesCount(), 2);
    QCOMPARE(view.labelChart()->value(0, 0), 50.0);
    QCOMPARE(view.labelChart()->plot()->yAxis->label(), QStringLiteral("share of labelled documents (%)"));
    QCOMPARE(view.lengthChart()->seriesCount(), 2);
    QCOMPARE(view.lengthChart()->scope(),
             QStringLiteral("All splits · %1 / %2 documents").arg(locale.toString(kDocuments), locale.toString(300)));
    // Which colour is which corpus: the legend under each chart names both.
    for (const ui::CategoryChart *chart : {view.labelChart(), view.lengthChart()}) {
        QCPLegend *legend = chart->plot()->legend;
        QVERIFY(legend->visible());
        QCOMPARE(legend->layout(), chart->plot()->plotLayout());
        QVERIFY(legend->hasItemWithPlottable(chart->plot()->plottable(0)));
        QVERIFY(legend->hasItemWithPlottable(chart->plot()->plottable(1)));
    }

    // The same corpus twice cannot be compared.
    view.setCorpora(QStringLiteral("video"), QStringLiteral("video"));
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("compute"))->isEnabled());
}

void TestCorpusView::domainShiftFragmentation()
{
    // A Hugging Face folder with bert-uncased's WordPiece tokenizer, registered in the project.
    const QString hf = m_dir->path(QStringLiteral("bert"));
    QVERIFY(QDir().mkpath(hf));
    const QString data = QStringLiteral(TS_TEST_DATA_DIR);
    QVERIFY(QFile::copy(data + "/models/bert/config.json", hf + "/config.json"));
    QVERIFY(QFile::copy(data + "/models/bert/model.safetensors", hf + "/model.safetensors"));
    QVERIFY(QFile::copy(data + "/tokenizers/bert-uncased.tokenizer.json", hf + "/tokenizer.json"));
    {
        auto project = Project::open(m_path, Project::Access::ReadWrite);
        QVERIFY(project.ok());
        const auto id = ModelRegistry::addFolder(project.value()->database(), QStringLiteral("bert"), hf);
        QVERIFY2(id.ok(), qPrintable(id.error()));
    }
    ui::DomainShiftView view(m_path, {QStringLiteral("music"), QStringLiteral("video")});
    view.show();
    auto *models = view.findChild<QComboBox *>(QStringLiteral("tokenizerModel"));
    QVERIFY(models);
    QCOMPARE(models->count(), 2); // None, bert
    view.setModel(QStringLiteral("bert"));
    QCOMPARE(models->currentText(), QStringLiteral("bert"));
    QSignalSpy computed(&view, &ui::DomainShiftView::computed);
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("compute")), Qt::LeftButton);
    QVERIFY(!models->isEnabled());
    QVERIFY(computed.wait(kWorkerTimeoutMs));
    QCOMPARE(computed.first().first().toString(), QString());

    const QTableWidget *table = view.measures();
    const QLocale locale;
    const QStringList perWord = table->item(ui::DomainShiftView::TokensPerWordRow, 1)->text().split(QStringLiteral(" / "));
    QCOMPARE(perWord.size(), 2);
    for (const QString &value : perWord) {
        bool ok = false;
        QVERIFY2(locale.toDouble(value, &ok) >= 1.0 && ok, qPrintable(value)); // a word is at least one token
    }
    const QString split = table->item(ui::DomainShiftView::SplitWordsRow, 1)->text();
    QVERIFY2(split.count(QLatin1Char('%')) == 2, qPrintable(split));
    QVERIFY(table->item(ui::DomainShiftView::SplitWordsRow, 1)->toolTip().contains(QLatin1String("Tokenizer of bert")));
}

QTEST_MAIN(TestCorpusView)
#include "tst_corpusview.moc"
