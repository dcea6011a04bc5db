#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace ts {
struct ProjectSummary;
}

namespace ts::ui {

/// The central page: with no project open, a start page (new, open, recent projects);
/// with a project open, its overview (file, format, what it holds).
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);

    void showStart(const QStringList &recentProjects);
    void showSummary(const ProjectSummary &summary);

Q_SIGNALS:
    void newProjectRequested();
    void openProjectRequested();
    void recentProjectRequested(const QString &path);

private:
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QPushButton *m_newButton = nullptr;
    QPushButton *m_openButton = nullptr;
    QLabel *m_recentTitle = nullptr;
    QListWidget *m_recent = nullptr;
};

} // namespace ts::ui
