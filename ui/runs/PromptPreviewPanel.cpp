#include "runs/PromptPreviewPanel.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ts::ui {

namespace {
constexpr int kPreviewLines = 7; // visible lines before the preview scrolls
} // namespace

PromptPreviewPanel::PromptPreviewPanel(QWidget *parent) : QGroupBox(tr("What the model sees"), parent)
{
    setObjectName(QStringLiteral("promptPreview"));
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("promptPreviewText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setFixedHeight(m_text->fontMetrics().lineSpacing() * kPreviewLines + 2 * m_text->frameWidth() + 8);
    m_text->setToolTip(tr("The exact text of the first target text's prompt, with the demonstrations this run "
                          "would draw (its data seed and label budget)"));
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("promptPreviewNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(m_note);
}

void PromptPreviewPanel::showPrompt(const QString &text, const QString &note)
{
    m_text->setEnabled(true);
    m_text->setPlainText(text);
    m_note->setText(note);
}

void PromptPreviewPanel::showProblem(const QString &problem)
{
    m_text->setEnabled(false);
    m_text->clear();
    m_note->setText(problem);
}

QString PromptPreviewPanel::promptText() const
{
    return m_text->toPlainText();
}

QString PromptPreviewPanel::note() const
{
    return m_note->text();
}

} // namespace ts::ui
