#pragma once

#include <QTreeWidget>

namespace ts {
class Project;
}

namespace ts::ui {

/// The project tree on the left of the main window: corpora, models and runs of the open project.
class ProjectExplorer : public QTreeWidget
{
    Q_OBJECT

public:
    /// Roles of the data each leaf item carries.
    enum Role { KindRole = Qt::UserRole + 1, IdRole };
    /// What a leaf item stands for (KindRole).
    enum class ItemKind { Corpus, Model, Run };

    explicit ProjectExplorer(QWidget *parent = nullptr);

    /// Re-reads the project's contents. Returns false (and leaves the tree empty) when the
    /// file cannot be read; `error` then says why.
    bool showProject(const Project &project, QString *error = nullptr);
    /// Empties the tree (no project open).
    void clearProject();

    QTreeWidgetItem *corporaItem() const { return m_corpora; }
    QTreeWidgetItem *modelsItem() const { return m_models; }
    QTreeWidgetItem *runsItem() const { return m_runs; }

Q_SIGNALS:
    /// A corpus, model or run was double-clicked (or Enter was pressed on it).
    void itemActivatedFor(ts::ui::ProjectExplorer::ItemKind kind, qint64 id, const QString &name);

private:
    QTreeWidgetItem *addBranch(const QString &title);
    static void addLeaf(QTreeWidgetItem *branch, ItemKind kind, qint64 id, const QString &text, const QString &detail);

    QTreeWidgetItem *m_corpora = nullptr;
    QTreeWidgetItem *m_models = nullptr;
    QTreeWidgetItem *m_runs = nullptr;
};

} // namespace ts::ui
