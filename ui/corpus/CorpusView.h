#pragma once

#include "corpus/CorpusProfile.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace ts {
class Project;
}

namespace ts::ui {

class CategoryChart;
class DocumentTableModel;
class WorkerThread;

/// A corpus at a glance: its documents page by page (optionally one split), its label
/// distribution and its document length histogram. Pages are read on the GUI thread through
/// the view's own read-only connection (each costs one index lookup); the charts come from a
/// full pass over the corpus on a worker thread.
class CorpusView : public QWidget
{
    Q_OBJECT

public:
    /// Shows corpus `corpus` of the project file `projectPath`.
    CorpusView(const QString &projectPath, const QString &corpus, QWidget *parent = nullptr);
    ~CorpusView() override;

    QString corpus() const { return m_corpus; }
    /// Re-reads the documents from the first page and recomputes the charts (after an import).
    void reload();
    /// Shows only split `split` ("train", "validation", "test", "unlabeled"; empty: all).
    void setSplit(const QString &split);

    DocumentTableModel *documents() const { return m_model; }
    CategoryChart *labelChart() const { return m_labels; }
    CategoryChart *lengthChart() const { return m_lengths; }
    /// Whether the charts show the corpus's statistics (the worker has finished).
    bool hasProfile() const { return m_profile.has_value(); }

Q_SIGNALS:
    /// The statistics pass ended; `error` is empty on success.
    void profileLoaded(const QString &error);

private:
    QWidget *createToolbar();
    void openProject(const QString &projectPath);
    void showFirstPage();
    void turnPage(bool forward);
    void updatePager();
    void startProfile();
    void showProfile(const CorpusProfile &profile, const QString &error);
    void showError(const QString &message);

    QString m_projectPath;
    QString m_corpus;
    std::unique_ptr<Project> m_project;
    qint64 m_corpusId = 0;
    std::optional<CorpusProfile> m_profile;
    int m_profileGeneration = 0; // the statistics pass whose result is awaited
    DocumentTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_split = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QLabel *m_pageLabel = nullptr;
    QLabel *m_summary = nullptr;
    CategoryChart *m_labels = nullptr;
    CategoryChart *m_lengths = nullptr;
    WorkerThread *m_worker = nullptr;
};

} // namespace ts::ui
