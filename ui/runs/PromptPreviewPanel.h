#pragma once

#include <QGroupBox>

class QLabel;
class QPlainTextEdit;

namespace ts::ui {

/// "What the model sees": the exact text a prompt strategy's model gets for the first target
/// text (demonstrations, then the query), read-only in a fixed-width font, with a line on how
/// the label words are scored; or the reason no prompt can be made.
class PromptPreviewPanel : public QGroupBox
{
    Q_OBJECT

public:
    explicit PromptPreviewPanel(QWidget *parent = nullptr);

    /// Shows `text` exactly (spaces and line breaks kept) and `note` under it.
    void showPrompt(const QString &text, const QString &note);
    /// Shows why there is no preview (a prompt or label-word problem, no corpus yet).
    void showProblem(const QString &problem);

    /// The text shown (empty while a problem is shown).
    QString promptText() const;
    QString note() const;

private:
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace ts::ui
